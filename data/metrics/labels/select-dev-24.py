# How dev-24.jsonl was chosen (run once, 2026-12-06, from the repo root, after select-dev-23.py had written
# dev-23.jsonl, before labelling and before running any extractor on the picked texts; brief lab22). A fresh
# DEVELOPMENT set, to measure metrics-1.21.0 and the next extractor release on text nobody tuned on: 80 random cs.*
# arXiv papers of the 2025-11..2026-07 captures of dw-dengwei/daily-arXiv-ai-enhanced (branch `data`, at b4c542b); no
# Daily Papers (n_daily=0: none with numbers is left unlabelled). The exclusions of select-dev-22.py: any paper in a
# label file of data/metrics/labels (dev-23.jsonl among them, so no dev-23 paper is drawn again) or in a held-out or
# agreement set of data/classification/labels (by arXiv id, title or text), any title in the two acceptance sets, and
# the guard pool (data/classification/labels/random.jsonl and heldout-5.guard-train800.ids.txt). The set's own files
# are skipped by exact path. Kept: >= 2 standalone numbers or a '%'. Drawn at random (seed 20261228), sorted by id.
# Per-row capture file and commit in dev-24.provenance.jsonl (CC0).
import re, sys
from claims_draw import draw, guard_pool_ids
own = tuple('data/metrics/labels/dev-24.%s' % f for f in ('jsonl', 'provenance.jsonl'))
draw(own, re.compile(r'data/(2025-1[12]|2026-0[1-7])-\d\d\.jsonl').fullmatch, 20261228,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-24.jsonl', extra_ids=guard_pool_ids(), n_daily=0)
