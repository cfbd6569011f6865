# How dev-6.jsonl was chosen (run once, 2026-12-04, from the repo root, before labelling and before any
# metrics-1.9.0 code change). Input: the daily-arXiv-ai-enhanced captures of 2025-03-01..2025-08-31
# (dw-dengwei/daily-arXiv-ai-enhanced, branch `data`, git mirror at /work/.mirror/...; per-row capture file and
# commit in dev-6.provenance.jsonl), i.e. submissions before the 2025-09..12 ones of dev-5, the 2026-01..02 ones of dev-4
# and the 2026-03..06 ones of dev-3; overlap with any label file is excluded by id, title and text below.
# Selection: cs.* primary category; not already in a label file of data/metrics/labels or
# data/classification/labels (by arXiv id, title or text); >= 2 standalone numbers (digits not inside names) or
# a '%'; 80 drawn at random (seed 20261205) from the candidates, sorted by id.
import json, glob, gzip, re, subprocess, sys, random
MIRROR = '/work/.mirror/dw-dengwei+daily-arXiv-ai-enhanced/repo'
def norm(s): return ' '.join((s or '').split()).lower()
seen = set()
files = glob.glob('data/metrics/labels/*.jsonl') + glob.glob('data/classification/labels/*.jsonl') \
    + glob.glob('data/classification/labels/*.jsonl.gz')
for f in files:
    if 'dev-6' in f: continue  # its own output (so a re-run reproduces the draw)
    op = gzip.open if f.endswith('.gz') else open
    for l in op(f, 'rt'):
        if not l.strip(): continue
        r = json.loads(l)
        seen.add(r['id'].split(':')[-1])
        for k in ('title',): 
            if r.get(k): seen.add(norm(r[k]))
        for k in ('text', 'abstract'):
            if r.get(k): seen.add(norm(r[k])[:200])
git = lambda *a: subprocess.run(['git', '-C', MIRROR, *a], capture_output=True, text=True, check=True).stdout
commit = git('rev-parse', 'data').strip()
days = [p for p in git('ls-tree', '--name-only', 'data', 'data/').split()
        if re.fullmatch(r'data/2025-0[3-8]-\d\d\.jsonl', p)]
cands = {}
for p in sorted(days):
    for l in git('show', f'{commit}:{p}').splitlines():
        try: r = json.loads(l)
        except ValueError: continue
        aid, cats = r.get('id', ''), r.get('categories') or []
        if not cats or not cats[0].startswith('cs.') or aid in cands: continue
        t = ' '.join((r.get('summary') or '').split())
        if aid in seen or norm(r.get('title')) in seen or norm(t)[:200] in seen: continue
        alln = re.findall(r'(?<![A-Za-z\-\d.])\d+(?:\.\d+)?(?![\d\-]?[A-Za-z]*\d)', t)
        if len(alln) >= 2 or '%' in t:
            cands[aid] = (p, t)
print(len(days), 'days', len(cands), 'candidates', file=sys.stderr)
pick = sorted(random.Random(20261205).sample(sorted(cands), 80))
out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-6.jsonl'
with open(out, 'w') as o:
    for i in pick: o.write(json.dumps({'id': 'arxiv:' + i, 'source': 'daily-arxiv-dw', 'text': cands[i][1]}) + '\n')
with open(out.replace('.jsonl', '.provenance.jsonl'), 'w') as o:
    for i in pick:
        o.write(json.dumps({'id': 'arxiv:' + i, 'repo': 'dw-dengwei/daily-arXiv-ai-enhanced', 'path': cands[i][0],
                            'commit': commit}) + '\n')
