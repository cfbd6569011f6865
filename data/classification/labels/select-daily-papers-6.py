# How heldout-5.jsonl and the `picked: daily-papers` training rows of random.jsonl (round 6) were drawn
# (run once, 2026-12-04, from the repo root, before any labelling or training).
# Ids: the arXiv ids of Hugging Face Daily Papers listed day by day in public repositories
# (daily-papers-6.ids.jsonl: id, title, repo, path, commit; the listings are Chinese summaries that link
# huggingface.co/papers/<id>). Texts: the arXiv metadata of the same papers in the `data` branch of
# dw-dengwei/daily-arXiv-ai-enhanced @ b4c542b7d61bff39f8b999b45b43f62b2bb94f75 (CC0; day files 2026-05-01 ..
# 2026-07-01; the listings carry cs.CV / cs.CL / cs.AI and a few others, so Daily Papers of other primary
# categories are not found). Kept: abstract 400-2,600 characters; normalised title and arXiv id in no labelled
# set (train, dev, every held-out set, random.jsonl, double-200) and in neither acceptance set (the guibanzato CSV
# titles, the bundled Daily Papers text capture); a listed English title that shares under a third of its words
# with the arXiv title marks a mistyped id (dropped). Two listings: Zi-yangChen/hf-daily-papers-summarizer
# summarises the HF Daily Papers of each day as they are (heldout-5 is drawn from these only: shuffled with seed
# 20261206, the first HELD, labelled and committed with its sha256 before anything is trained on these papers);
# jing1tian/DailyPapers recommends papers from the HF Daily Papers API and arXiv RSS scored by its owner's keywords
# (a selected sample, so training rows only, `picked: daily-papers-recommended`). The rest are training chunks.
import json, gzip, csv, re, random, subprocess, sys, os
REPO = sys.argv[1] if len(sys.argv) > 1 else '/work/.mirror/dw-dengwei+daily-arXiv-ai-enhanced/repo'
IDS = sys.argv[2] if len(sys.argv) > 2 else 'data/classification/labels/daily-papers-6.ids.jsonl'
OUT = sys.argv[3] if len(sys.argv) > 3 else 'pool6'
HELD = 100
COMMIT = 'b4c542b7d61bff39f8b999b45b43f62b2bb94f75'
def norm(t): return re.sub(r'[^a-z0-9]+', ' ', (t or '').lower()).strip()
seen = set()
L = 'data/classification/labels/'
rows = [json.loads(l) for l in gzip.open(L + 'train.jsonl.gz', 'rt')]
for f in ['dev', 'heldout', 'heldout-2', 'heldout-3', 'heldout-4', 'random', 'double-200.l3']:
    rows += [json.loads(l) for l in open(L + f + '.jsonl') if l.strip()]
for r in rows:
    if r.get('title'): seen.add(norm(r['title']))
    i = str(r.get('id', ''))
    if ':' in i: seen.add('id:' + i.split(':', 1)[1])
acc = set()
csv.field_size_limit(10**9)
for r in csv.DictReader(open('../shared/eval-public/arxiv-abstracts/guibanzato_arxiv_4class_balanced_800.csv')):
    t = r.get('title') or r.get('Title') or ''
    if t: acc.add(norm(t))
captxt = norm(open('../shared/fixtures/daily-papers-text/daily-papers-sep-1.txt').read())
want = {}
for l in open(IDS):
    if l.strip():
        r = json.loads(l); want.setdefault(r['id'], r)
files = subprocess.run(['git', '-C', REPO, 'ls-tree', '-r', '--name-only', COMMIT, 'data'], capture_output=True, text=True).stdout.split()
days = sorted(f for f in files if re.match(r'data/(2026-0[56]-\d\d|2026-07-01)\.jsonl$', f))
found = {}
for d in days:
    txt = subprocess.run(['git', '-C', REPO, 'show', f'{COMMIT}:{d}'], capture_output=True, text=True).stdout
    for line in txt.splitlines():
        try: r = json.loads(line)
        except Exception: continue
        if r.get('id') in want and r['id'] not in found: found[r['id']] = (d, r)
pool, dropped = [], {'length': 0, 'labelled': 0, 'acceptance': 0}
for aid in sorted(found):
    d, r = found[aid]
    t = re.sub(r'\s+', ' ', r.get('title', '')).strip(); a = re.sub(r'\s+', ' ', r.get('summary', '')).strip()
    n = norm(t)
    if not (400 <= len(a) <= 2600): dropped['length'] += 1; continue
    if n in seen or ('id:' + aid) in seen: dropped['labelled'] += 1; continue
    if n in acc or (len(n) > 20 and n in captxt): dropped['acceptance'] += 1; continue
    w = want[aid]
    lt = set(norm(w.get('title')).split())
    if len(lt) >= 3 and all(ord(c) < 128 for c in w.get('title', '')) and len(lt & set(n.split())) < len(lt) / 3:
        dropped['title mismatch'] = dropped.get('title mismatch', 0) + 1; continue
    pool.append({'id': 'arxiv:' + aid, 'source': 'hf-daily-papers-dw', 'from': f'dw-dengwei/daily-arXiv-ai-enhanced@{COMMIT}:{d}',
                 'listed': f"{w['repo']}@{w['commit'][:12]}:{w['path']}", 'categories': r.get('categories') or [],
                 'title': t, 'abstract': a,
                 'picked': 'daily-papers' if w['repo'].startswith('Zi-yangChen/') else 'daily-papers-recommended'})
print('ids', len(want), 'found in the listings', len(found), 'kept', len(pool), 'dropped', dropped)
random.seed(20261206)
random.shuffle(pool)
daily = [r for r in pool if r['picked'] == 'daily-papers']
held = daily[:HELD]
heldIds = {r['id'] for r in held}
rest = [r for r in pool if r['id'] not in heldIds]
os.makedirs(OUT, exist_ok=True)
with open(f'{OUT}/heldout-5.pool.jsonl', 'w') as f:
    for r in held: f.write(json.dumps(r) + '\n')
for i in range(0, len(rest), 200):
    with open(f'{OUT}/random-6{"abcdefgh"[i // 200]}.jsonl', 'w') as f:
        for r in rest[i:i + 200]: f.write(json.dumps(r) + '\n')
print('daily', len(daily), 'heldout-5', len(held), 'training', len(rest))
