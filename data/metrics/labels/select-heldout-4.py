# How heldout-4.jsonl was chosen (run once, 2026-12-02, from the repo root, before labelling).
# Input: the classifier corpus chunks train-b*.jsonl (daily-arXiv-ai-enhanced captures, provenance in
# heldout-4.provenance.jsonl). Output: 44 abstracts at a fixed stride over 500 candidates.
import json,glob,re,hashlib
seen=set()
for f in glob.glob('data/metrics/labels/*.jsonl'):
    for l in open(f):
        if l.strip(): seen.add(json.loads(l)['text'][:200])
cands=[]
for f in sorted(glob.glob('/work/brief/corpus/chunks/train-b*.jsonl')):
    for l in open(f):
        r=json.loads(l)
        m=re.match(r'arxiv:(\d\d)(\d\d)\.',r['id'])
        if not m or int(m.group(1))<23: continue
        t=' '.join(r['abstract'].split())
        if t[:200] in seen: continue
        nums=re.findall(r'(?<![A-Za-z\-])\d+(?:\.\d+)?\s?(?:%|\\%|x\b|×|times|-fold|points|pp)',t)
        alln=re.findall(r'(?<![A-Za-z\-\d])\d+(?:\.\d+)?(?![\d\-]?[A-Za-z]*\d)',t)
        if len(nums)>=2 and len(alln)>=4:
            cands.append((r['id'],r['source'],t))
cands.sort()
print(len(cands))
k=44
pick=[cands[int(i*len(cands)/k)] for i in range(k)]
with open('/tmp/metrics-wt/picked.jsonl','w') as o:
    for i,s,t in pick: o.write(json.dumps({'id':i,'source':s,'text':t})+'\n')
