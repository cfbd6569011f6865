# How dev-3.jsonl was chosen (run once, 2026-12-03, from the repo root, before labelling and before any
# metrics-1.6.0 code change). Input: /work/brief/pool/random-a.jsonl + random-b.jsonl, a random sample
# (seed 20261203) of recent (2026-03..06) arXiv cs.* abstracts from the daily-arXiv-ai-enhanced captures
# (dw-dengwei/daily-arXiv-ai-enhanced@b4c542b7; per-row capture file in dev-3.provenance.jsonl).
# Selection: not already in a label file, >= 2 standalone numbers (digits not inside names, or '%');
# 60 at a fixed stride over the candidates sorted by id.
import json,glob,re,sys
seen=set()
for f in glob.glob('data/metrics/labels/*.jsonl'):
    for l in open(f):
        if l.strip():
            r=json.loads(l)
            if 'text' in r: seen.add(' '.join(r['text'].split())[:200]); seen.add(r['id'])
cands=[]
for f in ['random-a','random-b']:
    for l in open(f'/work/brief/pool/{f}.jsonl'):
        r=json.loads(l)
        t=' '.join(r['abstract'].split())
        if r['id'] in seen or t[:200] in seen: continue
        alln=re.findall(r'(?<![A-Za-z\-\d.])\d+(?:\.\d+)?(?![\d\-]?[A-Za-z]*\d)',t)
        if len(alln)>=2 or '%' in t:
            cands.append((r['id'],r['from'],t))
cands.sort()
print(len(cands), file=sys.stderr)
k=60
pick=[cands[int(i*len(cands)/k)] for i in range(k)]
out=sys.argv[1] if len(sys.argv)>1 else '/tmp/extract/picked.jsonl'
with open(out,'w') as o:
    for i,fr,t in pick: o.write(json.dumps({'id':i,'source':'daily-arxiv-dw','text':t})+'\n')
with open(out.replace('.jsonl','.provenance.jsonl'),'w') as o:
    for i,fr,t in pick:
        repo,rest=fr.split('@'); commit,path=rest.split(':')
        o.write(json.dumps({'id':i,'repo':repo,'path':path,'commit':commit})+'\n')
