# How dev-16.jsonl was chosen (run once, 2026-12-06, from the repo root, before labelling and before running any
# extractor on the picked texts; session 13, issue #18). A fresh DEVELOPMENT set whose first use is as training data
# for the learned corrections over the rules (the claims the current rules emit on it are untuned outputs): 80 random
# cs.* arXiv papers of the 2025-09..10 captures of dw-dengwei/daily-arXiv-ai-enhanced (branch `data`); no Daily Papers.
# dev-15 .. dev-18 were drawn together from four disjoint capture windows (2025-03/07/08, 2025-09..10, 2025-11..12,
# 2026-03..07), which keeps them apart; earlier sets drew from some of these months, so the papers are new by the
# exclusions: as in select-heldout-7.py, any paper in a label file of data/metrics/labels or in a held-out or agreement
# set of data/classification/labels (by arXiv id, title or text), any title in the two acceptance sets, and the guard
# pool (data/classification/labels/random.jsonl and heldout-5.guard-train800.ids.txt). The set's own files are skipped
# by exact path. Kept: >= 2 standalone numbers or a '%'. Drawn at random (seed 20261220), sorted by id. Per-row capture
# file and commit in dev-16.provenance.jsonl (CC0).
import re, sys
from claims_draw import draw, guard_pool_ids
own = tuple('data/metrics/labels/dev-16.%s' % f for f in ('jsonl', 'provenance.jsonl'))
draw(own, re.compile(r'data/2025-(09|10)-\d\d\.jsonl').fullmatch, 20261220,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-16.jsonl', extra_ids=guard_pool_ids(), n_daily=0)
