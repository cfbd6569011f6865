# How heldout-5.jsonl was chosen (run once, 2026-12-04, from the repo root, before labelling and before running any
# extractor on the picked texts). A NEVER-TUNED held-out set for the claims extractor (brief mh5, issue #18): 80
# abstracts from the two populations of the acceptance sets, 40 each if there are enough (there were not: only
# 20 Daily Papers of the listings remain unlabelled with arXiv metadata in the captures, so all 20 and 60 random):
#  - random arXiv: cs.* primary-category papers of the newest two months of dw-dengwei/daily-arXiv-ai-enhanced
#    captures (branch `data`, data/2026-05-01 .. data/2026-06-30); earlier sets drew from these days too, so the papers
#    are new only by the exclusions below;
#  - Daily Papers: every id of data/classification/labels/daily-papers-6.ids.jsonl (both listings,
#    jing1tian/DailyPapers and Zi-yangChen/hf-daily-papers-summarizer) that no label file holds, arXiv metadata from
#    the first capture that has it.
# Excluded, as in select-dev-9.py: any paper in a label file of data/metrics/labels (dev-9 included) or in a held-out
# or agreement set of data/classification/labels (by arXiv id, title or text), any title in the two acceptance sets;
# and, new here, the 2,171-abstract guard pool the 1.11.0/1.12.0 diffs were read on (ext12/ext14): the classifier's
# random stream data/classification/labels/random.jsonl (1,371) and the 800 training rows whose ids are listed in
# heldout-5.guard-train800.ids.txt (a subset of data/classification/labels/train.jsonl.gz). Kept: >= 2 standalone
# numbers or a '%'. Drawn at random from each population (seed 20261210), sorted by id. Per-row capture file and
# commit in heldout-5.provenance.jsonl (CC0).
# The draw itself is claims_draw.py, shared by the dev-8, dev-9 and held-out-5 scripts (its output is byte-identical
# to the inline copy each script had before).
import json, re, sys
from claims_draw import draw
# the guard pool: the classifier's random stream and the 800 training rows ext12/ext14 read diffs on
guard = [json.loads(l)['id'] for l in open('data/classification/labels/random.jsonl') if l.strip()]
guard += [l.strip() for l in open('data/metrics/labels/heldout-5.guard-train800.ids.txt') if l.strip()]
# NB the own-file substring 'heldout-5' also skipped the classifier's heldout-5.jsonl / .lh.jsonl, so 15 of its Daily
# Papers are in both held-out sets (GUIDE, twelfth batch)
draw('heldout-5', re.compile(r'data/2026-0[56]-\d\d\.jsonl').fullmatch, 20261210,
     sys.argv[1] if len(sys.argv) > 1 else '/tmp/heldout-5.jsonl', extra_ids=guard)
