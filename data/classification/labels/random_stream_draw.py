# The draw shared by select-random-stream-7.py and -8.py (run from the repo root): random arXiv papers of the
# `data` branch of dw-dengwei/daily-arXiv-ai-enhanced @ b4c542b7d61bff39f8b999b45b43f62b2bb94f75 (arXiv metadata, CC0)
# whose capture day matches `days_re` and whose primary category is in `cats`; excluded: every title / id in a
# classification label file (train, dev, every held-out set, random.jsonl), every arXiv id of a claims label set
# (data/metrics/labels), every title in the two acceptance sets, abstracts outside 400-2,600 characters. `per_cat` per
# primary category at most (seeded), shuffled, the first `chunks` x `size` cut into files OUT/<prefix><letter>.jsonl.
import json, gzip, csv, re, random, subprocess, os, glob
COMMIT = 'b4c542b7d61bff39f8b999b45b43f62b2bb94f75'


def norm(t): return re.sub(r'[^a-z0-9]+', ' ', t.lower()).strip()


def draw(repo, out, days_re, cats, per_cat, seed, chunks, size, prefix):
    seen = set()
    L = 'data/classification/labels/'
    rows = [json.loads(l) for l in gzip.open(L + 'train.jsonl.gz', 'rt')]
    for f in ['dev', 'heldout', 'heldout-2', 'heldout-3', 'heldout-4', 'random', 'double-200.l3', 'heldout-5']:
        rows += [json.loads(l) for l in open(L + f + '.jsonl')]
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
    files = subprocess.run(['git', '-C', repo, 'ls-tree', '-r', '--name-only', 'data'], capture_output=True, text=True).stdout.split()
    days = [f for f in files if re.match(days_re, f)]
    pool = []; ids = set()
    for d in days:
        txt = subprocess.run(['git', '-C', repo, 'show', 'data:' + d], capture_output=True, text=True).stdout
        for line in txt.splitlines():
            try: r = json.loads(line)
            except Exception: continue
            cs = r.get('categories') or []
            if not cs or cs[0] not in cats: continue
            t = re.sub(r'\s+', ' ', r.get('title', '')).strip(); a = re.sub(r'\s+', ' ', r.get('summary', '')).strip()
            if not (400 <= len(a) <= 2600): continue
            n = norm(t)
            if n in seen or n in acc or ('id:' + r['id']) in seen or r['id'] in ids: continue
            if len(n) > 20 and n in captxt: continue
            ids.add(r['id'])
            pool.append({'id': 'arxiv:' + r['id'], 'source': 'daily-arxiv-dw', 'from': 'dw-dengwei/daily-arXiv-ai-enhanced@' + COMMIT + ':' + d, 'categories': cs, 'title': t, 'abstract': a, 'picked': 'random'})
    print('seen', len(seen), 'acc', len(acc), 'pool', len(pool))
    random.seed(seed)
    by = {}
    for r in pool: by.setdefault(r['categories'][0], []).append(r)
    print({c: len(v) for c, v in by.items()})
    s = []
    for c in sorted(by): s += random.sample(by[c], min(per_cat, len(by[c])))
    random.shuffle(s)
    s = s[:chunks * size]
    os.makedirs(out, exist_ok=True)
    for i in range(chunks):
        with open(f'{out}/{prefix}{"abcdefgh"[i]}.jsonl', 'w') as f:
            for r in s[i * size:(i + 1) * size]: f.write(json.dumps(r) + '\n')
