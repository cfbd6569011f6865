# Regenerates categories.jsonl.gz: the arXiv categories of the labelled TRAINING rows that are arXiv papers and
# carry none in their label file (train.jsonl.gz, dev.jsonl, heldout-2.jsonl; random.jsonl rows already carry theirs).
# Run from the repo root: python3 data/classification/labels/recover-categories.py [MIRROR]
# Source: the `data` branch of dw-dengwei/daily-arXiv-ai-enhanced @ b4c542b7d61bff39f8b999b45b43f62b2bb94f75 (CC0),
# day files data/YYYY-MM-DD.jsonl (field `categories`, arXiv's order: the primary category first), as
# select-daily-papers-6.py reads them. A row is matched by its arXiv id (`arxiv:<id>` / `hf:<id>`) and kept only
# when the listing's normalised title equals the label file's (a wrong id would give another paper's
# categories); the row's own day file (`from`) is preferred, else the first day that lists the id; a row that
# commit does not list is looked up in the day file and commit its `from` names (the repository rewrites a day's
# file when it re-runs; those commits are in the same mirror). Only arXiv
# category codes are kept (MSC / ACM classes some listings add, e.g. "68T05" or "I.2.7", are dropped).
# The held-out files are never read for categories: heldout-4/5 carry theirs, heldout and heldout-3 stay text-only.
# The trainer (tools/train/linear-trainer.ts, readLabelSet) merges this file into the rows it reads.
import gzip, json, re, subprocess, sys
REPO = sys.argv[1] if len(sys.argv) > 1 else '/work/.mirror/dw-dengwei+daily-arXiv-ai-enhanced/repo'
COMMIT = 'b4c542b7d61bff39f8b999b45b43f62b2bb94f75'
L = 'data/classification/labels/'
OUT = L + 'categories.jsonl.gz'
CAT = re.compile(r'^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$')
def norm(t): return re.sub(r'[^a-z0-9]+', ' ', (t or '').lower()).strip()

want = {}  # arXiv id -> [(label file, row)]
for f in ['train.jsonl.gz', 'dev.jsonl', 'heldout-2.jsonl']:
    op = gzip.open if f.endswith('.gz') else open
    for line in op(L + f, 'rt'):
        if not line.strip(): continue
        r = json.loads(line)
        pre, _, aid = str(r.get('id', '')).partition(':')
        if pre in ('arxiv', 'hf') and aid and not r.get('categories'):
            want.setdefault(aid, []).append((f, r))
files = subprocess.run(['git', '-C', REPO, 'ls-tree', '-r', '--name-only', COMMIT, 'data'],
                       capture_output=True, text=True, check=True).stdout.split()
days = sorted(f for f in files if re.match(r'data/\d{4}-\d\d-\d\d\.jsonl$', f))
found = {}  # id -> {day: (title, categories)}
for d in days:
    txt = subprocess.run(['git', '-C', REPO, 'show', f'{COMMIT}:{d}'], capture_output=True, text=True).stdout
    for line in txt.splitlines():
        try: r = json.loads(line)
        except Exception: continue
        aid = r.get('id')
        if aid in want: found.setdefault(aid, {}).setdefault(d, (r.get('title', ''), r.get('categories') or []))
def own_listing(row):
    m = re.match(r'dw-dengwei/daily-arXiv-ai-enhanced@([0-9a-f]+):(data/[\w.-]+\.jsonl)$', row.get('from') or '')
    if not m: return None
    txt = subprocess.run(['git', '-C', REPO, 'show', f'{m.group(1)}:{m.group(2)}'], capture_output=True, text=True).stdout
    for line in txt.splitlines():
        try: r = json.loads(line)
        except Exception: continue
        if r.get('id') == row['id'].split(':', 1)[1]:
            return {f'{m.group(1)}:{m.group(2)}': (r.get('title', ''), r.get('categories') or [])}
    return None
out, stats = [], {'wanted': len(want), 'not listed': 0, 'title differs': 0, 'no arXiv category': 0}
for aid in sorted(want):
    for f, row in want[aid]:
        listed = found.get(aid)
        if not listed:
            listed = own_listing(row)
            if not listed: stats['not listed'] += 1; continue
            stats['from its own commit'] = stats.get('from its own commit', 0) + 1
        own = (row.get('from') or '').rsplit(':', 1)[-1]
        day = own if own in listed else next(iter(listed))
        title, cats = listed[day]
        if norm(title) != norm(row.get('title')): stats['title differs'] += 1; continue
        cats = [c for c in cats if CAT.match(c)]
        if not cats: stats['no arXiv category'] += 1; continue
        at = day if ':' in day else f'{COMMIT[:12]}:{day}'
        out.append({'id': row['id'], 'categories': cats, 'from': f'dw-dengwei/daily-arXiv-ai-enhanced@{at}'})
seen, rows = set(), []
for r in out:
    if r['id'] not in seen: seen.add(r['id']); rows.append(r)
with gzip.GzipFile(OUT, 'wb', mtime=0) as g:
    g.write(''.join(json.dumps(r, separators=(',', ':')) + '\n' for r in rows).encode())
stats['written'] = len(rows)
print(json.dumps(stats))
