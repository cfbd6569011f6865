# How dev-19.jsonl was chosen (run once, 2026-12-06, from the repo root, before labelling and before running any
# extractor on the picked texts; session 14, issue #18). A fresh DEVELOPMENT set, to measure the next extractor
# release on text nobody tuned on: 80 random cs.* arXiv papers of the 2025-04..06 captures of
# dw-dengwei/daily-arXiv-ai-enhanced (branch `data`, at b4c542b); no Daily Papers. dev-19 and dev-20 were drawn
# together from two capture windows (2025-04..06, 2026-01..02) disjoint from each other and from the windows of
# dev-15 .. dev-18 (2025-03/07/08, 2025-09..10, 2025-11..12, 2026-03..07); earlier sets drew from some of these months,
# so the papers are new by the exclusions: as in select-dev-18.py, any paper in a label file of data/metrics/labels or
# in a held-out or agreement set of data/classification/labels (by arXiv id, title or text), any title in the two
# acceptance sets, and the guard pool (data/classification/labels/random.jsonl and heldout-5.guard-train800.ids.txt).
# The set's own files and dev-20's (drawn after it, which excludes dev-19's papers) are skipped by exact path, so a
# re-run reproduces the draw. Kept: >= 2 standalone numbers or a '%'. Drawn at random (seed 20261223), sorted by id.
# Per-row capture file and commit in dev-19.provenance.jsonl (CC0).
import re, sys
from claims_draw import draw, guard_pool_ids
own = tuple('data/metrics/labels/dev-%s.%s' % (s, f) for s in ('19', '20') for f in ('jsonl', 'provenance.jsonl'))
draw(own, re.compile(r'data/2025-0[4-6]-\d\d\.jsonl').fullmatch, 20261223,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-19.jsonl', extra_ids=guard_pool_ids(), n_daily=0)
