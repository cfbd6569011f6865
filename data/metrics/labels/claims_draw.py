# The draw shared by select-dev-8.py, select-dev-9.py, select-heldout-5.py and select-heldout-6.py (run from the repo
# root): abstracts with numbers from two populations of the dw-dengwei/daily-arXiv-ai-enhanced captures (branch
# `data`, CC0) — random cs.* arXiv papers of the capture days a set names, and Hugging Face Daily Papers listed in
# data/classification/labels/daily-papers-6.ids.jsonl — none of them in a label set or an acceptance set. Excluded:
# any paper in a label file of data/metrics/labels or in a held-out or agreement set of data/classification/labels (by
# arXiv id, title or text; the set's own files are skipped, by a substring of their path or, from held-out-6, by exact
# path, so a re-run reproduces the draw), any id in `extra_ids`, and any title in the two acceptance sets
# (guibanzato_arxiv_4class_balanced_800.csv, the bundled Daily Papers captures in ../shared/fixtures). The
# classifier's training rows are allowed (as in select-dev-7.py): round 6 made every Daily Paper of both listings a
# classification row, and topic labels say nothing about claims. Kept: >= 2 standalone numbers (digits not inside
# names) or a '%' (the test of select-dev-6.py/-7.py). Up to `n_daily` Daily Papers and the rest random, drawn with
# `seed`, sorted by id; the texts go to `out`, each row's capture file and commit to out's .provenance.jsonl.
import json, glob, gzip, csv, re, subprocess, sys, random
MIRROR = '/work/.mirror/dw-dengwei+daily-arXiv-ai-enhanced/repo'
IDS = 'data/classification/labels/daily-papers-6.ids.jsonl'
SHARED = '/work/shared'  # ../shared from the main checkout


def norm(s): return ' '.join((s or '').split()).lower()
def tnorm(t): return re.sub(r'[^a-z0-9]+', ' ', (t or '').lower()).strip()


def draw(own, random_day, seed, out, listing=None, daily_label='daily-papers', extra_ids=(), n=80, n_daily=40):
    """own: substring of the set's own files, or a tuple of their exact paths (a substring can also match another
    task's file: held-out-5's 'heldout-5' skipped the classifier's heldout-5.jsonl); random_day(path) -> bool;
    listing: one listing's repo, or both."""
    is_own = own.__contains__ if isinstance(own, tuple) else (lambda f: own in f)
    seen, acc = set(), set()
    files = glob.glob('data/metrics/labels/*.jsonl') + glob.glob('data/classification/labels/heldout*.jsonl') \
        + glob.glob('data/classification/labels/double-200*.jsonl')
    for f in files:
        if is_own(f): continue
        op = gzip.open if f.endswith('.gz') else open
        for l in op(f, 'rt'):
            if not l.strip(): continue
            r = json.loads(l)
            if 'id' in r: seen.add(str(r['id']).split(':')[-1])
            if r.get('title'): seen.add(norm(r['title'])); seen.add(tnorm(r['title']))
            for k in ('text', 'abstract'):
                if r.get(k): seen.add(norm(r[k])[:200])
    seen.update(str(i).split(':')[-1] for i in extra_ids)
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
            if listing is None or r['repo'] == listing:
                want.add(r['id']); listed.setdefault(r['id'], r['repo'])
    git = lambda *a: subprocess.run(['git', '-C', MIRROR, *a], capture_output=True, text=True, check=True).stdout
    commit = git('rev-parse', 'data').strip()
    days = [p for p in git('ls-tree', '--name-only', commit, 'data/').split()
            if re.fullmatch(r'data/\d{4}-\d\d-\d\d\.jsonl', p)]
    rand, daily, dropped = {}, {}, {'labelled': 0, 'acceptance': 0, 'numbers': 0}

    def keep(aid, p, r, into):
        t = ' '.join((r.get('summary') or '').split())
        n = tnorm(r.get('title'))
        if aid in seen or norm(r.get('title')) in seen or n in seen or norm(t)[:200] in seen:
            dropped['labelled'] += 1; return
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
            if random_day(p) and cats and cats[0].startswith('cs.') and aid not in want and aid not in rand:
                keep(aid, p, r, rand)
    for aid in sorted(found):
        if aid not in rand: keep(aid, *found[aid], daily)
    print(len(days), 'days;', len(want), 'listed ids,', len(found), 'found;', len(rand), 'random and', len(daily),
          'daily candidates', dropped, file=sys.stderr)
    rng = random.Random(seed)
    nd = min(n_daily, len(daily))
    pick = {i: 'random-arxiv' for i in rng.sample(sorted(rand), n - nd)}
    pick.update({i: daily_label for i in rng.sample(sorted(daily), nd)})
    src = lambda i: rand[i] if i in rand else daily[i]
    with open(out, 'w') as o:
        for i in sorted(pick):
            o.write(json.dumps({'id': 'arxiv:' + i, 'source': 'daily-arxiv-dw' if pick[i] == 'random-arxiv'
                                else 'hf-daily-papers-dw', 'text': src(i)[1]}) + '\n')
    with open(out.replace('.jsonl', '.provenance.jsonl'), 'w') as o:
        for i in sorted(pick):
            row = {'id': 'arxiv:' + i, 'repo': 'dw-dengwei/daily-arXiv-ai-enhanced', 'path': src(i)[0],
                   'commit': commit, 'picked': pick[i]}
            if pick[i] != 'random-arxiv': row['listed'] = listed[i]
            o.write(json.dumps(row) + '\n')


def guard_pool_ids():
    """The ids of the guard pool the extractor helpers read diffs on: the classifier's random stream
    (data/classification/labels/random.jsonl) and the 800 training rows of heldout-5.guard-train800.ids.txt."""
    ids = [json.loads(l)['id'] for l in open('data/classification/labels/random.jsonl') if l.strip()]
    return ids + [l.strip() for l in open('data/metrics/labels/heldout-5.guard-train800.ids.txt') if l.strip()]


def classification_ids():
    """Every id of every classification label file (data/classification/labels/*.jsonl and train.jsonl.gz), so a set
    drawn with them excluded is in no labelled set of either task (select-dev-29.py wrote this inline; from dev-30 here)."""
    ids = []
    for f in sorted(glob.glob('data/classification/labels/*.jsonl') + ['data/classification/labels/train.jsonl.gz']):
        op = gzip.open if f.endswith('.gz') else open
        ids += [json.loads(l)['id'] for l in op(f, 'rt') if l.strip()]
    return ids
