# Joins round 6's labels with the pool rows drawn by select-daily-papers-6.py (run from the repo root):
#   heldout-5.jsonl          the 100 Daily Papers of heldout-5 with labeller `lg`'s labels (the reference labels)
#   heldout-5.lh.jsonl       labels only (no text): `lh`'s independent labelling of the same 100 papers, for the
#                            agreement check (tools/eval/eval-classifier-agreement --a ... --b ...)
#   random.jsonl             `--train`: the training rows (chunks random-6a / random-6b) appended, same fields as
#                            rounds 4-5, `picked` saying how each paper was selected ("daily-papers" or
#                            "daily-papers-recommended"; never "random", so they are not stream rows)
# Lines are validated: the 20 default slugs, primary in topics, null iff empty, a contribution type.
import json, sys
POOL = sys.argv[1]; LAB = sys.argv[2]; train = '--train' in sys.argv
L = 'data/classification/labels/'
slugs = {t['slug'] for t in json.load(open('data/taxonomy/default-topics.json'))}
CONTRIB = {'method', 'benchmark-dataset', 'framework-tool', 'analysis', 'survey', 'system'}
def labels(path):
    out = {}
    for l in open(path):
        if not l.strip(): continue
        r = json.loads(l)
        ok = (all(t in slugs for t in r['topics']) and len(set(r['topics'])) == len(r['topics'])
              and ((r['primary'] is None) == (len(r['topics']) == 0)) and (r['primary'] is None or r['primary'] in r['topics'])
              and r['contribution'] in CONTRIB)
        if not ok: sys.exit(f'invalid label line in {path}: {l[:200]}')
        out.setdefault(r['id'], r)
    return out
def pool(path): return [json.loads(l) for l in open(path) if l.strip()]
def row(p, r, chunk=None):
    d = {'id': p['id'], 'source': p['source'], 'title': p['title'], 'abstract': p['abstract'], 'categories': p['categories'],
         'topics': r['topics'], 'primary': r['primary'], 'contribution': r['contribution'], 'labeller': r['labeller']}
    if chunk: d['chunk'] = chunk
    d.update({'picked': p['picked'], 'from': p['from'], 'listed': p['listed']})
    return json.dumps(d)
if not train:
    held = pool(f'{POOL}/heldout-5.pool.jsonl')
    a, b = labels(f'{LAB}/heldout-5.lg.jsonl'), labels(f'{LAB}/heldout-5.lh.jsonl')
    missing = [p['id'] for p in held if p['id'] not in a or p['id'] not in b]
    if missing: sys.exit(f'unlabelled heldout-5 papers: {missing}')
    with open(L + 'heldout-5.jsonl', 'w') as f:
        for p in held: f.write(row(p, a[p['id']]) + '\n')
    with open(L + 'heldout-5.lh.jsonl', 'w') as f:
        for p in held:
            r = b[p['id']]
            f.write(json.dumps({'id': p['id'], 'topics': r['topics'], 'primary': r['primary'], 'contribution': r['contribution'], 'labeller': r['labeller']}) + '\n')
    print('heldout-5.jsonl', len(held), 'heldout-5.lh.jsonl', len(held))
else:
    lines = []
    for chunk, pf, lf in [('random-6a', 'train-6a.jsonl', 'train-6a.li.jsonl'), ('random-6b', 'train-6b.jsonl', 'train-6b.lj.jsonl')]:
        lab = labels(f'{LAB}/{lf}')
        rows = [p for p in pool(f'{POOL}/{pf}') if p['id'] in lab]
        lines += [row(p, lab[p['id']], chunk) for p in rows]
        print(chunk, len(rows), 'of', len(pool(f'{POOL}/{pf}')))
    have = {json.loads(l)['id'] for l in open(L + 'random.jsonl') if l.strip()}
    lines = [l for l in lines if json.loads(l)['id'] not in have]
    with open(L + 'random.jsonl', 'a') as f:
        for l in lines: f.write(l + '\n')
    print('appended', len(lines), 'rows to random.jsonl')
