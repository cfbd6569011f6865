# How heldout-6.jsonl was chosen (run once, 2026-12-05, from the repo root, before labelling and before running any
# extractor on the picked texts). A second NEVER-TUNED held-out set for the claims extractor (brief mh6, issue #18),
# to measure metrics-1.13.0 unseen: 80 abstracts, up to 20 of them Daily Papers if any remain (none did: held-out-5
# took the last 20), the rest random arXiv:
#  - random arXiv: cs.* primary-category papers of the 2026-03-01 .. 2026-04-30 captures of
#    dw-dengwei/daily-arXiv-ai-enhanced (branch `data`); no select script draws by capture day from these months
#    (dev-3's pooled sample and heldout-4's corpus chunks held 31 papers of them, excluded by id below);
#  - Daily Papers: every id of data/classification/labels/daily-papers-6.ids.jsonl (both listings) that no label file
#    holds, arXiv metadata from the first capture that has it.
# Excluded, as in select-heldout-5.py: any paper in a label file of data/metrics/labels (held-out-5 included) or in a
# held-out or agreement set of data/classification/labels (by arXiv id, title or text), any title in the two
# acceptance sets, and the 2,171-abstract guard pool the extractor helpers read diffs on (the classifier's random
# stream data/classification/labels/random.jsonl and the 800 training rows of heldout-5.guard-train800.ids.txt).
# Unlike held-out-5, the set's own files are skipped by exact path (not by the substring 'heldout-6'). Kept: >= 2
# standalone numbers or a '%'. Drawn at random (seed 20261211), sorted by id. Per-row capture file and commit in
# heldout-6.provenance.jsonl (CC0).
import json, re, sys
from claims_draw import draw
guard = [json.loads(l)['id'] for l in open('data/classification/labels/random.jsonl') if l.strip()]
guard += [l.strip() for l in open('data/metrics/labels/heldout-5.guard-train800.ids.txt') if l.strip()]
# its labellings after the second one (agree6): the first kept apart, the second, the adjudicated heldout-6.jsonl
own = tuple('data/metrics/labels/heldout-6.%s' % f
            for f in ('jsonl', 'provenance.jsonl', 'first.jsonl', 'second.jsonl'))
draw(own, re.compile(r'data/2026-0[34]-\d\d\.jsonl').fullmatch, 20261211,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/heldout-6.jsonl', extra_ids=guard, n_daily=20)
