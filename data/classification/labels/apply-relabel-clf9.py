#!/usr/bin/env python3
"""Applies the blind relabel of notes/relabel-clf9.jsonl to train.jsonl.gz and random.jsonl (the suspect rows whose
blind label differs; the control rows are never written), and writes the --compare-ids file of the training rows that
were not relabelled. Only the topics / primary / contribution fields of those rows change; every other byte of each
line stays as it is. Not applied in the repository (the relabel did not pass its shipping rule, libs/classification
README "Training labels re-checked"); this reproduces the label files that retrain was measured on.

Usage: python3 data/classification/labels/apply-relabel-clf9.py [--compare-ids OUT]
"""
import gzip
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
AUDIT = os.path.join(HERE, 'notes', 'relabel-clf9.jsonl')
LABELS = re.compile(r'"topics":(\s?)\[[^\]]*\],\s?"primary":\s?(null|"[a-z-]+"),\s?"contribution":\s?"[a-z-]+"')


def relabel(line, new):
    row = json.loads(line)
    if row['id'] not in new:
        return line
    m = LABELS.search(line)
    assert m, row['id']
    sp = m.group(1)  # the file mixes compact and ", "-separated lines: keep each line's own style
    sep = ', ' if sp else ','
    n = new[row['id']]
    out = (line[:m.start()] + '"topics":' + sp + '[' + sep.join(json.dumps(t) for t in n['topics']) + ']' + sep +
           '"primary":' + sp + json.dumps(n['primary']) + sep + '"contribution":' + sp + json.dumps(n['contribution']) +
           line[m.end():])
    check = json.loads(out)
    assert all(check[k] == n[k] for k in ('topics', 'primary', 'contribution')), row['id']
    assert all(check[k] == row[k] for k in row if k not in ('topics', 'primary', 'contribution')), row['id']
    return out


def main():
    audit = [json.loads(l) for l in open(AUDIT, encoding='utf-8')]
    new = {a['id']: a['new'] for a in audit if a['sample'] == 'suspect' and a['changed']}
    path = os.path.join(HERE, 'train.jsonl.gz')
    lines = gzip.open(path, 'rt', encoding='utf-8').read().split('\n')
    with gzip.GzipFile(path, 'wb', mtime=0) as g:
        g.write('\n'.join(relabel(l, new) if l else l for l in lines).encode('utf-8'))
    path = os.path.join(HERE, 'random.jsonl')
    lines = open(path, encoding='utf-8').read().split('\n')
    open(path, 'w', encoding='utf-8').write('\n'.join(relabel(l, new) if l else l for l in lines))
    if '--compare-ids' in sys.argv:
        seen = {a['id'] for a in audit}
        ids = []
        for f in ('dev.jsonl', 'heldout-2.jsonl', 'random.jsonl'):
            ids += [json.loads(l)['id'] for l in open(os.path.join(HERE, f), encoding='utf-8') if l.strip()]
        ids += [json.loads(l)['id'] for l in gzip.open(os.path.join(HERE, 'train.jsonl.gz'), 'rt') if l.strip()]
        keep = list(dict.fromkeys(i for i in ids if i not in seen))
        open(sys.argv[sys.argv.index('--compare-ids') + 1], 'w').write('\n'.join(keep) + '\n')
    print(f'{len(new)} rows relabelled')


if __name__ == '__main__':
    main()
