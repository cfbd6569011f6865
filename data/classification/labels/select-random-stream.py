# How the random-stream pool of round 4 was drawn (heldout-4.jsonl and the `picked: random` training rows).
# Source: the `data` branch of dw-dengwei/daily-arXiv-ai-enhanced @ b4c542b7d61bff39f8b999b45b43f62b2bb94f75
# (per-day arXiv listings data/YYYY-MM-DD.jsonl; the records are arXiv metadata, CC0), days 2026-03-01..2026-06-30.
# Kept: primary category in the ML set below (the listings carry cs.CV / cs.CL / cs.AI), abstract 400-2,600 chars,
# normalised title in no earlier labelled set, in neither acceptance set (guibanzato CSV titles, the Daily Papers
# text capture). Then 214 per primary category (seed 20261203), shuffled: rows 0-199 are heldout-4 (labelled by
# la / lb, 100 each, before any training), rows 200-641 are training rows (random-a / random-b).
import json, gzip, csv, re, random, subprocess
REPO = 'dw-dengwei+daily-arXiv-ai-enhanced/repo'  # a git mirror of the repository
def norm(t): return re.sub(r'[^a-z0-9]+', ' ', t.lower()).strip()
seen=set()
L='data/classification/labels/'
rows=[json.loads(l) for l in gzip.open(L+'train.jsonl.gz','rt')]
for f in ['dev','heldout','heldout-2','heldout-3']:
    rows+= [json.loads(l) for l in open(L+f+'.jsonl')]
for r in rows:
    if r.get('title'): seen.add(norm(r['title']))
    if str(r.get('id','')).startswith('arxiv:'): seen.add('id:'+r['id'][6:])
acc=set()
csv.field_size_limit(10**9)
for r in csv.DictReader(open('../shared/eval-public/arxiv-abstracts/guibanzato_arxiv_4class_balanced_800.csv')):
    t=r.get('title') or r.get('Title') or ''
    if t: acc.add(norm(t))
captxt=norm(open('../shared/fixtures/daily-papers-text/daily-papers-sep-1.txt').read())
print('seen',len(seen),'acc',len(acc))
files=subprocess.run(['git','-C',REPO,'ls-tree','-r','--name-only','data'],capture_output=True,text=True).stdout.split()
days=[f for f in files if re.match(r'data/2026-0[3-6]-\d\d\.jsonl$',f)]
CATS={'cs.CL','cs.LG','cs.CV','cs.AI','stat.ML','cs.IR','cs.SD','eess.AS','cs.RO','cs.CR','cs.MA','cs.NE','eess.IV','cs.HC','cs.SE','eess.SP'}
pool=[];ids=set()
for d in days:
    txt=subprocess.run(['git','-C',REPO,'show','data:'+d],capture_output=True,text=True).stdout
    for line in txt.splitlines():
        try: r=json.loads(line)
        except: continue
        cats=r.get('categories') or []
        if not cats or cats[0] not in CATS: continue
        t=re.sub(r'\s+',' ',r.get('title','')).strip(); a=re.sub(r'\s+',' ',r.get('summary','')).strip()
        if not (400<=len(a)<=2600): continue
        n=norm(t)
        if n in seen or n in acc or ('id:'+r['id']) in seen or r['id'] in ids: continue
        if len(n)>20 and n in captxt: continue
        ids.add(r['id'])
        pool.append({'id':'arxiv:'+r['id'],'source':'daily-arxiv-dw','from':'dw-dengwei/daily-arXiv-ai-enhanced@b4c542b7d61bff39f8b999b45b43f62b2bb94f75:'+d,'categories':cats,'title':t,'abstract':a,'picked':'random'})
print('pool',len(pool))
random.seed(20261203)
by = {}
for r in pool: by.setdefault(r['categories'][0], []).append(r)
s = []
for c in sorted(by): s += random.sample(by[c], 214)
random.shuffle(s)
heldout, training = s[:200], s[200:642]
