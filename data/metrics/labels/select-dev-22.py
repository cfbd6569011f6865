# How dev-22.jsonl was chosen (run once, 2026-12-06, from the repo root, after select-dev-21.py had written
# dev-21.jsonl, before labelling and before running any extractor on the picked texts; session 15, brief lab21, issue
# #18). A fresh DEVELOPMENT set, to measure metrics-1.20.0 and the next extractor release on text nobody tuned on. Meant
# as 40 random cs.* arXiv papers of the 2025-09..2026-02 captures of dw-dengwei/daily-arXiv-ai-enhanced (branch `data`,
# at b4c542b) and 40 Hugging Face Daily Papers of data/classification/labels/daily-papers-6.ids.jsonl (both listings,
# as held-out-5), but no listed Daily Paper with numbers remains unlabelled (754 listed ids, 318 with metadata in the
# captures, 0 candidates: held-out-5 took the last ones), so draw() falls back to 80 random papers (n_daily is a cap).
# The exclusions of select-dev-20.py: any paper in a label file of data/metrics/labels (dev-21.jsonl among them, so no
# dev-21 paper is drawn again) or in a held-out or agreement set of data/classification/labels (by arXiv id, title or
# text), any title in the two acceptance sets, and the guard pool (data/classification/labels/random.jsonl and
# heldout-5.guard-train800.ids.txt). The set's own files are skipped by exact path. Kept: >= 2 standalone numbers or a
# '%'. Drawn at random (seed 20261226), sorted by id. Per-row capture file and commit in dev-22.provenance.jsonl (CC0).
import re, sys
from claims_draw import draw, guard_pool_ids
own = tuple('data/metrics/labels/dev-22.%s' % f for f in ('jsonl', 'provenance.jsonl'))
draw(own, re.compile(r'data/(2025-(09|1[0-2])|2026-0[12])-\d\d\.jsonl').fullmatch, 20261226,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-22.jsonl', extra_ids=guard_pool_ids(), n_daily=40)
