# How dev-37.jsonl was chosen (run once, 2026-12-07, from the repo root, before labelling and before running any
# extractor on the picked texts; brief claims27c). A fresh DEVELOPMENT set, to measure metrics-1.36.0 and the next
# extractor release on text nobody tuned on: 80 random cs.* arXiv papers of all the 2025-03..2026-07 captures of
# dw-dengwei/daily-arXiv-ai-enhanced (branch `data`, at b4c542b); no Daily Papers (n_daily=0). The exclusions of
# select-dev-26.py (every label file of data/metrics/labels, dev-26 … dev-36 included; the classifier's held-out and agreement
# sets; the two acceptance sets; the guard pool) and every id of every classification label file
# (data/classification/labels/*.jsonl and train.jsonl.gz: dev, random, random-7a, heldout-5.lh, double-200 and the
# training rows), so the set is in no labelled set of either task. The set's own files are skipped by exact path.
# Kept: >= 2 standalone numbers or a '%'. Drawn at random (seed 20270110), sorted by id. Per-row capture file and
# commit in dev-37.provenance.jsonl (CC0).
import re, sys
from claims_draw import draw, guard_pool_ids, classification_ids


own = tuple('data/metrics/labels/dev-37.%s' % f for f in ('jsonl', 'provenance.jsonl'))
draw(own, re.compile(r'data/(2025-(0[3-9]|1[012])|2026-0[1-7])-\d\d\.jsonl').fullmatch, 20270110,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-37.jsonl', extra_ids=guard_pool_ids() + classification_ids(),
     n_daily=0)
