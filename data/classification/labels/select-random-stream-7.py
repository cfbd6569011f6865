# How the random-stream pool of round 7 was drawn (the `chunk: random-7*` training rows of random.jsonl), 2026-12-05.
# Same source and filters as select-random-stream-5.py (round 5): the `data` branch of
# dw-dengwei/daily-arXiv-ai-enhanced @ b4c542b7d61bff39f8b999b45b43f62b2bb94f75 (arXiv metadata, CC0), but days
# 2025-07-01..2025-12-31 (no random draw has read them), and every title / id already labelled (train, dev, every
# held-out set, random.jsonl) or in a claims label set (data/metrics/labels) or in an acceptance set is excluded.
# 267 per primary category (seed 20261206), shuffled, the first 1,000 cut into four chunks of 250.
# These rows are training rows only; every held-out set stays untouched.
import sys
from random_stream_draw import draw
ROUND5_CATS = {'cs.CL','cs.LG','cs.CV','cs.AI','stat.ML','cs.IR','cs.SD','eess.AS','cs.RO','cs.CR','cs.MA','cs.NE','eess.IV','cs.HC','cs.SE','eess.SP'}
draw(sys.argv[1] if len(sys.argv) > 1 else 'dw-dengwei+daily-arXiv-ai-enhanced/repo', sys.argv[2] if len(sys.argv) > 2 else 'pool7',
     r'data/2025-(0[7-9]|1[0-2])-\d\d\.jsonl$', ROUND5_CATS, 267, 20261206, 4, 250, 'random-7')
