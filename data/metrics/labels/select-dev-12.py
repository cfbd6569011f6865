# How dev-12.jsonl was chosen (run once, 2026-12-05, from the repo root, before labelling and before running any
# extractor on the picked texts, brief ext19, issue #18). A fresh DEVELOPMENT set for metrics-1.17.0: 80 random cs.*
# arXiv papers of the 2025-07-01 .. 2025-09-30 captures of dw-dengwei/daily-arXiv-ai-enhanced (branch `data`); no
# Daily Papers (n_daily=0: held-out-5 took the last ones). dev-5 drew from the 2025-09..12 captures too, so the papers
# are new only by the exclusions below.
# Excluded, as in select-heldout-6.py: any paper in a label file of data/metrics/labels (held-out-6, dev-10 and dev-11
# included) or in a held-out or agreement set of data/classification/labels (by arXiv id, title or text), any title
# in the two acceptance sets, and the 2,171-abstract guard pool the extractor helpers read diffs on (the classifier's
# random stream data/classification/labels/random.jsonl and the 800 training rows of
# heldout-5.guard-train800.ids.txt). The set's own files are skipped by exact path. Kept: >= 2 standalone numbers or
# a '%'. Drawn at random (seed 20261215), sorted by id. Per-row capture file and commit in dev-12.provenance.jsonl
# (CC0).
import json, re, sys
from claims_draw import draw
guard = [json.loads(l)['id'] for l in open('data/classification/labels/random.jsonl') if l.strip()]
guard += [l.strip() for l in open('data/metrics/labels/heldout-5.guard-train800.ids.txt') if l.strip()]
own = tuple('data/metrics/labels/dev-12.%s' % f for f in ('jsonl', 'provenance.jsonl'))
draw(own, re.compile(r'data/2025-0[7-9]-\d\d\.jsonl').fullmatch, 20261215,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-12.jsonl', extra_ids=guard, n_daily=0)
