# How the random-stream pool of round 8 was drawn (the `chunk: random-8*` training rows of random.jsonl), 2026-12-05.
# Same source and filters as select-random-stream-7.py (round 7, drawn first and imported before this ran): the `data` branch of
# dw-dengwei/daily-arXiv-ai-enhanced @ b4c542b7d61bff39f8b999b45b43f62b2bb94f75 (arXiv metadata, CC0), but days
# 2025-03-18..2025-12-31 (the mirror's first day on; round 7's rows are in random.jsonl, so excluded), and every title / id already labelled (train, dev, every
# held-out set, random.jsonl) or in a claims label set (data/metrics/labels) or in an acceptance set is excluded.
# Unlike round 7, only primary categories cs.CL / cs.CV / cs.AI, as in rounds 4-5 and heldout-4: 667 of each
# (seed 20261207), shuffled, the first 2,000 cut into eight chunks of 250.
# These rows are training rows only; every held-out set stays untouched.
import sys
from random_stream_draw import draw
draw(sys.argv[1] if len(sys.argv) > 1 else 'dw-dengwei+daily-arXiv-ai-enhanced/repo', sys.argv[2] if len(sys.argv) > 2 else 'pool8',
     r'data/2025-(0[3-9]|1[0-2])-\d\d\.jsonl$', {'cs.CL','cs.CV','cs.AI'}, 667, 20261207, 8, 250, 'random-8')
