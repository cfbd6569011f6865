# How the random-stream pool of round 8 was drawn (the `chunk: random-8*` training rows of random.jsonl), 2026-12-05.
# Same source and filters as select-random-stream-7.py (round 7, drawn first and imported before this ran): the `data` branch of
# dw-dengwei/daily-arXiv-ai-enhanced @ b4c542b7d61bff39f8b999b45b43f62b2bb94f75 (arXiv metadata, CC0), but days
# 2025-03-18..2025-12-31 (the mirror's first day on; round 7's rows are in random.jsonl, so excluded), and every title / id already labelled (train, dev, every
# held-out set, random.jsonl) or in a claims label set (data/metrics/labels) or in an acceptance set is excluded.
# Unlike round 7, only primary categories cs.CL / cs.CV / cs.AI, as in rounds 4-5 and heldout-4: 667 of each
# (seed 20261207), shuffled, the first 2,000 cut into eight chunks of 250.
# These rows are training rows only; every held-out set stays untouched.
import json, gzip, csv, re, random, subprocess, sys, os
REPO = sys.argv[1] if len(sys.argv) > 1 else 'dw-dengwei+daily-arXiv-ai-enhanced/repo'
OUT = sys.argv[2] if len(sys.argv) > 2 else 'pool8'
def norm(t): return re.sub(r'[^a-z0-9]+', ' ', t.lower()).strip()
seen = set()
L = 'data/classification/labels/'
rows = [json.loads(l) for l in gzip.open(L + 'train.jsonl.gz', 'rt')]
for f in ['dev', 'heldout', 'heldout-2', 'heldout-3', 'heldout-4', 'random', 'double-200.l3', 'heldout-5']:
    rows += [json.loads(l) for l in open(L + f + '.jsonl')]
import glob
for f in glob.glob('data/metrics/labels/*.jsonl'):
    for l in open(f):
        if l.strip():
            r = json.loads(l)
            if str(r.get('id', '')).startswith('arxiv:'): seen.add('id:' + r['id'][6:])
for r in rows:
    if r.get('title'): seen.add(norm(r['title']))
    if str(r.get('id', '')).startswith('arxiv:'): seen.add('id:' + r['id'][6:])
acc = set()
csv.field_size_limit(10**9)
for r in csv.DictReader(open('../shared/eval-public/arxiv-abstracts/guibanzato_arxiv_4class_balanced_800.csv')):
    t = r.get('title') or r.get('Title') or ''
    if t: acc.add(norm(t))
captxt = norm(open('../shared/fixtures/daily-papers-text/daily-papers-sep-1.txt').read())
files = subprocess.run(['git', '-C', REPO, 'ls-tree', '-r', '--name-only', 'data'], capture_output=True, text=True).stdout.split()
days = [f for f in files if re.match(r'data/2025-(0[3-9]|1[0-2])-\d\d\.jsonl$', f)]
CATS = {'cs.CL','cs.CV','cs.AI'}
pool = []; ids = set()
for d in days:
    txt = subprocess.run(['git', '-C', REPO, 'show', 'data:' + d], capture_output=True, text=True).stdout
    for line in txt.splitlines():
        try: r = json.loads(line)
        except Exception: continue
        cats = r.get('categories') or []
        if not cats or cats[0] not in CATS: continue
        t = re.sub(r'\s+', ' ', r.get('title', '')).strip(); a = re.sub(r'\s+', ' ', r.get('summary', '')).strip()
        if not (400 <= len(a) <= 2600): continue
        n = norm(t)
        if n in seen or n in acc or ('id:' + r['id']) in seen or r['id'] in ids: continue
        if len(n) > 20 and n in captxt: continue
        ids.add(r['id'])
        pool.append({'id': 'arxiv:' + r['id'], 'source': 'daily-arxiv-dw', 'from': 'dw-dengwei/daily-arXiv-ai-enhanced@b4c542b7d61bff39f8b999b45b43f62b2bb94f75:' + d, 'categories': cats, 'title': t, 'abstract': a, 'picked': 'random'})
print('seen', len(seen), 'acc', len(acc), 'pool', len(pool))
random.seed(20261207)
by = {}
for r in pool: by.setdefault(r['categories'][0], []).append(r)
print({c: len(v) for c, v in by.items()})
s = []
for c in sorted(by): s += random.sample(by[c], min(667, len(by[c])))
random.shuffle(s)
s = s[:2000]
os.makedirs(OUT, exist_ok=True)
for i, name in enumerate('abcdefgh'):
    with open(f'{OUT}/random-8{name}.jsonl', 'w') as f:
        for r in s[i * 250:(i + 1) * 250]: f.write(json.dumps(r) + '\n')
