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
import json, glob, gzip, csv, re, subprocess, sys, random
MIRROR = '/work/.mirror/dw-dengwei+daily-arXiv-ai-enhanced/repo'
IDS = 'data/classification/labels/daily-papers-6.ids.jsonl'
RANDOM_DAYS = re.compile(r'data/2026-0[56]-\d\d\.jsonl')
SHARED = '/work/shared'  # ../shared from the main checkout
def norm(s): return ' '.join((s or '').split()).lower()
def tnorm(t): return re.sub(r'[^a-z0-9]+', ' ', (t or '').lower()).strip()
seen, acc = set(), set()
# Every metrics label file, and the classifier's held-out and agreement sets. The classifier's training rows are
# allowed (as in select-dev-7.py): round 6 made every Daily Paper of both listings a classification row, and topic
# labels say nothing about claims.
files = glob.glob('data/metrics/labels/*.jsonl') + glob.glob('data/classification/labels/heldout*.jsonl') \
    + glob.glob('data/classification/labels/double-200*.jsonl')
for f in files:
    # its own output (so a re-run reproduces the draw); NB this substring also skipped the classifier's
    # heldout-5.jsonl / .lh.jsonl, so 15 of its Daily Papers are in both held-out sets (GUIDE, twelfth batch)
    if 'heldout-5' in f: continue
    op = gzip.open if f.endswith('.gz') else open
    for l in op(f, 'rt'):
        if not l.strip(): continue
        r = json.loads(l)
        if 'id' in r: seen.add(str(r['id']).split(':')[-1])
        if r.get('title'): seen.add(norm(r['title'])); seen.add(tnorm(r['title']))
        for k in ('text', 'abstract'):
            if r.get(k): seen.add(norm(r[k])[:200])
for l in open('data/classification/labels/random.jsonl'):
    if l.strip(): seen.add(str(json.loads(l)['id']).split(':')[-1])
for l in open('data/metrics/labels/heldout-5.guard-train800.ids.txt'):
    if l.strip(): seen.add(l.strip().split(':')[-1])
csv.field_size_limit(10**9)
for r in csv.DictReader(open(SHARED + '/eval-public/arxiv-abstracts/guibanzato_arxiv_4class_balanced_800.csv')):
    t = r.get('title') or r.get('Title') or ''
    if t: acc.add(tnorm(t))
for f in glob.glob(SHARED + '/fixtures/hf-daily-papers/*.json'):
    for r in json.load(open(f)):
        t = r.get('title') or (r.get('paper') or {}).get('title')
        if t: acc.add(tnorm(t))
captxt = ' '.join(tnorm(open(f).read()) for f in glob.glob(SHARED + '/fixtures/daily-papers-text/*.txt'))
want, listed = set(), {}
for l in open(IDS):
    if l.strip():
        r = json.loads(l)
        want.add(r['id']); listed.setdefault(r['id'], r['repo'])
git = lambda *a: subprocess.run(['git', '-C', MIRROR, *a], capture_output=True, text=True, check=True).stdout
commit = git('rev-parse', 'data').strip()
days = [p for p in git('ls-tree', '--name-only', commit, 'data/').split()
        if re.fullmatch(r'data/\d{4}-\d\d-\d\d\.jsonl', p)]
rand, daily, dropped = {}, {}, {'labelled': 0, 'acceptance': 0, 'numbers': 0}
def keep(aid, p, r, into):
    t = ' '.join((r.get('summary') or '').split())
    n = tnorm(r.get('title'))
    if aid in seen or norm(r.get('title')) in seen or n in seen or norm(t)[:200] in seen: dropped['labelled'] += 1; return
    if n in acc or (len(n) > 20 and n in captxt): dropped['acceptance'] += 1; return
    alln = re.findall(r'(?<![A-Za-z\-\d.])\d+(?:\.\d+)?(?![\d\-]?[A-Za-z]*\d)', t)
    if len(alln) >= 2 or '%' in t: into[aid] = (p, t)
    else: dropped['numbers'] += 1
found = {}
for p in sorted(days):
    for l in git('show', f'{commit}:{p}').splitlines():
        try: r = json.loads(l)
        except ValueError: continue
        aid, cats = r.get('id', ''), r.get('categories') or []
        if aid in want and aid not in found: found[aid] = (p, r)
        if RANDOM_DAYS.fullmatch(p) and cats and cats[0].startswith('cs.') and aid not in want and aid not in rand:
            keep(aid, p, r, rand)
for aid in sorted(found):
    if aid not in rand: keep(aid, *found[aid], daily)
print(len(days), 'days;', len(want), 'listed ids,', len(found), 'found;', len(rand), 'random and', len(daily),
      'daily candidates', dropped, file=sys.stderr)
rng = random.Random(20261210)
nd = min(40, len(daily))  # 20 remain: all of them, and 80 - 20 = 60 random papers
pick = {i: 'random-arxiv' for i in rng.sample(sorted(rand), 80 - nd)}
pick.update({i: 'daily-papers' for i in rng.sample(sorted(daily), nd)})
src = lambda i: rand[i] if i in rand else daily[i]
out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/heldout-5.jsonl'
with open(out, 'w') as o:
    for i in sorted(pick):
        o.write(json.dumps({'id': 'arxiv:' + i, 'source': 'daily-arxiv-dw' if pick[i] == 'random-arxiv'
                            else 'hf-daily-papers-dw', 'text': src(i)[1]}) + '\n')
with open(out.replace('.jsonl', '.provenance.jsonl'), 'w') as o:
    for i in sorted(pick):
        row = {'id': 'arxiv:' + i, 'repo': 'dw-dengwei/daily-arXiv-ai-enhanced', 'path': src(i)[0], 'commit': commit,
               'picked': pick[i]}
        if pick[i] != 'random-arxiv': row['listed'] = listed[i]
        o.write(json.dumps(row) + '\n')
