# How heldout-7.jsonl was chosen (run once, 2026-12-06, from the repo root, before labelling and before running any
# extractor on the picked texts; session 12, issue #18). A third NEVER-TUNED held-out set for the claims extractor, to
# measure metrics-1.17.0 and the session's metrics-1.18.0 on text neither was tuned on: 80 random cs.* arXiv papers of
# the 2025-10-01 .. 2025-12-31 and 2026-03-01 .. 2026-06-30 captures of dw-dengwei/daily-arXiv-ai-enhanced (branch
# `data`); no Daily Papers (held-out-5 took the last ones). dev-11 (2025-10..12), held-out-6 (2026-03..04), dev-10 and
# held-out-5 (2026-05..06) drew from these months, so the papers are new by the exclusions below; the two dev sets
# labelled in the same session (dev-13: 2026-01..02, dev-14: 2025-04..06) drew from other months.
# Excluded, as in select-heldout-6.py: any paper in a label file of data/metrics/labels or in a held-out or agreement
# set of data/classification/labels (by arXiv id, title or text), any title in the two acceptance sets, and the guard
# pool the extractor helpers read diffs on (data/classification/labels/random.jsonl and the 800 training rows of
# heldout-5.guard-train800.ids.txt). The set's own files (two independent labellings and the adjudicated set) are
# skipped by exact path. Kept: >= 2 standalone numbers or a '%'. Drawn at random (seed 20261218), sorted by id.
# Per-row capture file and commit in heldout-7.provenance.jsonl (CC0). Re-run in a checkout of f5a856e (the data state it
# was drawn at) it reproduces the set byte for byte; the dev-13 and dev-14 label files merged after it change the pool.
import re, sys
from claims_draw import draw, guard_pool_ids
own = tuple('data/metrics/labels/heldout-7.%s' % f
            for f in ('jsonl', 'provenance.jsonl', 'first.jsonl', 'second.jsonl'))
draw(own, re.compile(r'data/(2025-1[0-2]|2026-0[3-6])-\d\d\.jsonl').fullmatch, 20261218,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/heldout-7.jsonl', extra_ids=guard_pool_ids(), n_daily=0)
