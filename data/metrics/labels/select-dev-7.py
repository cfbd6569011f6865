# How dev-7.jsonl was chosen (run once, 2026-12-04, from the repo root, before labelling and before any
# metrics-1.10.0 code change). Ids: the Hugging Face Daily Papers of data/classification/labels/daily-papers-6.ids.jsonl
# (arXiv ids listed day by day in public repositories; see select-daily-papers-6.py). Only the listing that
# summarises each day's HF Daily Papers as they are (Zi-yangChen/hf-daily-papers-summarizer) is used: the other
# listing (jing1tian/DailyPapers) mixes in arXiv RSS papers picked by its owner's keywords. Texts: the arXiv
# metadata of the same papers in every day file of the `data` branch of dw-dengwei/daily-arXiv-ai-enhanced (git
# mirror at /work/.mirror/...; per-row capture file and commit in dev-7.provenance.jsonl; CC0), first capture of an
# id wins. These papers may be in classification label files (fine for the extractor); excluded: any paper already
# in a label file of data/metrics/labels (by arXiv id, title or text). Kept: >= 2 standalone numbers (digits not
# inside names) or a '%' (the test of select-dev-6.py). 80 drawn at random (seed 20261207) from the candidates,
# sorted by id; all of them if fewer than 80 qualify.
import json, glob, re, subprocess, sys, random
MIRROR = '/work/.mirror/dw-dengwei+daily-arXiv-ai-enhanced/repo'
IDS = 'data/classification/labels/daily-papers-6.ids.jsonl'
LISTING = 'Zi-yangChen/hf-daily-papers-summarizer'
def norm(s): return ' '.join((s or '').split()).lower()
seen = set()
for f in glob.glob('data/metrics/labels/*.jsonl'):
    if 'dev-7' in f: continue  # its own output (so a re-run reproduces the draw)
    for l in open(f):
        if not l.strip(): continue
        r = json.loads(l)
        seen.add(r['id'].split(':')[-1])
        if r.get('title'): seen.add(norm(r['title']))
        for k in ('text', 'abstract'):
            if r.get(k): seen.add(norm(r[k])[:200])
want = set()
for l in open(IDS):
    if l.strip():
        r = json.loads(l)
        if r['repo'] == LISTING: want.add(r['id'])
git = lambda *a: subprocess.run(['git', '-C', MIRROR, *a], capture_output=True, text=True, check=True).stdout
commit = git('rev-parse', 'data').strip()
days = [p for p in git('ls-tree', '--name-only', commit, 'data/').split()
        if re.fullmatch(r'data/\d{4}-\d\d-\d\d\.jsonl', p)]
found, cands, dropped = {}, {}, {'labelled': 0, 'numbers': 0}
for p in sorted(days):
    for l in git('show', f'{commit}:{p}').splitlines():
        try: r = json.loads(l)
        except ValueError: continue
        aid = r.get('id', '')
        if aid in want and aid not in found: found[aid] = (p, r)
for aid in sorted(found):
    p, r = found[aid]
    t = ' '.join((r.get('summary') or '').split())
    if aid in seen or norm(r.get('title')) in seen or norm(t)[:200] in seen: dropped['labelled'] += 1; continue
    alln = re.findall(r'(?<![A-Za-z\-\d.])\d+(?:\.\d+)?(?![\d\-]?[A-Za-z]*\d)', t)
    if len(alln) >= 2 or '%' in t: cands[aid] = (p, t)
    else: dropped['numbers'] += 1
print(len(days), 'days', len(want), 'listed ids', len(found), 'found', len(cands), 'candidates', dropped, file=sys.stderr)
pick = sorted(random.Random(20261207).sample(sorted(cands), min(80, len(cands))))
out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/dev-7.jsonl'
with open(out, 'w') as o:
    for i in pick: o.write(json.dumps({'id': 'arxiv:' + i, 'source': 'hf-daily-papers-dw', 'text': cands[i][1]}) + '\n')
with open(out.replace('.jsonl', '.provenance.jsonl'), 'w') as o:
    for i in pick:
        o.write(json.dumps({'id': 'arxiv:' + i, 'repo': 'dw-dengwei/daily-arXiv-ai-enhanced', 'path': cands[i][0],
                            'commit': commit, 'listed': LISTING}) + '\n')
