# How dev-9.jsonl was chosen (run once, 2026-12-04, from the repo root, before labelling and before any
# metrics-1.12.0 code change). Two populations no earlier metrics set used, 40 abstracts each:
#  - random arXiv: the capture days of dw-dengwei/daily-arXiv-ai-enhanced (branch `data`) that no earlier set drew
#    from, in the newest range: 2026-06-20, -21, -22, -27, -28, -30 (dev-7 and dev-8 drew from 06-01..06-19,
#    06-23..06-26, 06-29 and 07-01); cs.* primary category;
#  - Daily Papers recommended by jing1tian/DailyPapers (ids in data/classification/labels/daily-papers-6.ids.jsonl)
#    that dev-8 did not draw (every labelled paper is excluded below), arXiv metadata from the first capture.
# Excluded, as in select-dev-8.py: any paper in a label file of data/metrics/labels (dev-8 included) or in a held-out
# or agreement set of data/classification/labels (by arXiv id, title or text) and any title in the two acceptance
# sets. Kept: >= 2 standalone numbers or a '%'. 40 drawn at random from each population (seed 20261209), sorted by
# id. Per-row capture file and commit in dev-9.provenance.jsonl (CC0).
# The draw itself is claims_draw.py, shared by the dev-8, dev-9 and held-out-5 scripts (its output is byte-identical
# to the inline copy each script had before).
import sys
from claims_draw import draw
UNUSED = {'data/2026-06-%s.jsonl' % d for d in ('20', '21', '22', '27', '28', '30')}
draw('dev-9', UNUSED.__contains__, 20261209, sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-9.jsonl',
     listing='jing1tian/DailyPapers', daily_label='daily-papers-recommended')
