# How dev-8.jsonl was chosen (run once, 2026-12-04, from the repo root, before labelling and before any
# metrics-1.11.0 code change). Two populations no earlier metrics set used, 40 abstracts each:
#  - random arXiv: the newest capture of dw-dengwei/daily-arXiv-ai-enhanced (day file data/2026-07-01.jsonl, branch
#    `data`; ids 2606.2xxxx-2607), i.e. after the 2026-03..06 captures of dev-3 and the 2604-2606 Daily Papers of
#    dev-7; cs.* primary category;
#  - Daily Papers recommended by jing1tian/DailyPapers (ids listed in data/classification/labels/
#    daily-papers-6.ids.jsonl; it picks from the HF Daily Papers API and arXiv RSS by its owner's keywords; dev-7 used
#    the other listing only), their arXiv metadata from any day file of the same captures (first capture wins).
# Excluded: any paper in a label file of data/metrics/labels or in a held-out or agreement set of
# data/classification/labels (by arXiv id, title or text) and any title in the two acceptance sets (guibanzato_arxiv_4class_balanced_800.csv, the bundled Daily Papers
# captures in ../shared/fixtures/daily-papers-text and ../shared/fixtures/hf-daily-papers). Kept: >= 2 standalone
# numbers (digits not inside names) or a '%' (the test of select-dev-6.py/-7.py). 40 drawn at random from each
# population (seed 20261208), sorted by id. Per-row capture file and commit in dev-8.provenance.jsonl (CC0).
# The draw itself is claims_draw.py, shared by the dev-8, dev-9 and held-out-5 scripts (its output is byte-identical
# to the inline copy each script had before).
import sys
from claims_draw import draw
draw('dev-8', lambda p: p == 'data/2026-07-01.jsonl', 20261208, sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-8.jsonl',
     listing='jing1tian/DailyPapers', daily_label='daily-papers-recommended')
