# How dev-13.jsonl was chosen (run once, 2026-12-06, from the repo root, before labelling and before running any
# extractor on the picked texts, brief ext20, issue #18). A fresh DEVELOPMENT set for metrics-1.18.0: 80 random cs.*
# arXiv papers of the 2026-01-01 .. 2026-02-28 captures of dw-dengwei/daily-arXiv-ai-enhanced (branch `data`), which no
# claims set drew from by capture day since dev-4 (select-dev-4.py drew 60 of them; they are excluded below); no Daily
# Papers (n_daily=0: held-out-5 took the last ones).
# Excluded, as in select-heldout-6.py: any paper in a label file of data/metrics/labels (held-out-6 and dev-10..12
# included) or in a held-out or agreement set of data/classification/labels (by arXiv id, title or text), any title
# in the two acceptance sets, and the 2,171-abstract guard pool the extractor helpers read diffs on (the classifier's
# random stream data/classification/labels/random.jsonl and the 800 training rows of
# heldout-5.guard-train800.ids.txt). The set's own files are skipped by exact path. Kept: >= 2 standalone numbers or
# a '%'. Drawn at random (seed 20261216), sorted by id. Per-row capture file and commit in dev-13.provenance.jsonl
# (CC0).
import re, sys
from claims_draw import draw, guard_pool_ids
own = tuple('data/metrics/labels/dev-13.%s' % f for f in ('jsonl', 'provenance.jsonl'))
draw(own, re.compile(r'data/2026-0[12]-\d\d\.jsonl').fullmatch, 20261216,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-13.jsonl', extra_ids=guard_pool_ids(), n_daily=0)
