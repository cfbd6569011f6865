# How dev-14.jsonl was chosen (run once, 2026-12-06, from the repo root, before labelling and before running any
# extractor on the picked texts, brief lab14, issue #18). A fresh DEVELOPMENT set: 80 random cs.* arXiv papers of the
# 2025-04-01 .. 2025-06-30 captures of dw-dengwei/daily-arXiv-ai-enhanced (branch `data`); no Daily Papers (n_daily=0:
# held-out-5 took the last ones). No claims set since dev-6 drew from these captures; dev-6 drew from the 2025-03..08
# captures, which include them, so the papers are new only by the exclusions below. Another helper draws dev-13 from the
# 2026-01..02 captures at the same time, a disjoint window (dev-13's files do not exist in this worktree, so they are not
# among the exclusions; the windows keep the two sets apart).
# Excluded, as in select-heldout-6.py: any paper in a label file of data/metrics/labels (held-out-6, dev-10, dev-11 and
# dev-12 included) or in a held-out or agreement set of data/classification/labels (by arXiv id, title or text), any
# title in the two acceptance sets, and the 2,171-abstract guard pool the extractor helpers read diffs on (the
# classifier's random stream data/classification/labels/random.jsonl and the 800 training rows of
# heldout-5.guard-train800.ids.txt). The set's own files are skipped by exact path. Kept: >= 2 standalone numbers or
# a '%'. Drawn at random (seed 20261217), sorted by id. Per-row capture file and commit in dev-14.provenance.jsonl
# (CC0).
import re, sys
from claims_draw import draw, guard_pool_ids
own = tuple('data/metrics/labels/dev-14.%s' % f for f in ('jsonl', 'provenance.jsonl'))
draw(own, re.compile(r'data/2025-0[4-6]-\d\d\.jsonl').fullmatch, 20261217,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-14.jsonl', extra_ids=guard_pool_ids(), n_daily=0)
