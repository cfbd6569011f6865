# How dev-25.jsonl was chosen (run once, 2026-12-07, from the repo root, before labelling and before running any
# extractor on the picked texts; brief claims20). A fresh DEVELOPMENT set, to measure metrics-1.23.0 and the next
# extractor release on text nobody tuned on: 80 random cs.* arXiv papers of all the 2025-03..2026-07 captures of
# dw-dengwei/daily-arXiv-ai-enhanced (branch `data`, at b4c542b); no Daily Papers (n_daily=0). The exclusions of
# select-dev-24.py: any paper in a label file of data/metrics/labels (dev-24.jsonl and its first/second labellings among
# them) or in a held-out or agreement set of data/classification/labels (by arXiv id, title or text), any title in the
# two acceptance sets, and the guard pool (data/classification/labels/random.jsonl and heldout-5.guard-train800.ids.txt).
# The set's own files are skipped by exact path. Kept: >= 2 standalone numbers or a '%'. Drawn at random
# (seed 20261229), sorted by id. Per-row capture file and commit in dev-25.provenance.jsonl (CC0).
import re, sys
from claims_draw import draw, guard_pool_ids
own = tuple('data/metrics/labels/dev-25.%s' % f for f in ('jsonl', 'provenance.jsonl'))
draw(own, re.compile(r'data/(2025-(0[3-9]|1[012])|2026-0[1-7])-\d\d\.jsonl').fullmatch, 20261229,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-25.jsonl', extra_ids=guard_pool_ids(), n_daily=0)
