#!/usr/bin/env python3
"""Applies (or reverts) the clf10 relabel: the guide's model-report rule (GUIDE.md, "Model and system reports",
2026-12-06) replacing the round-2 "Llama-3 precedent" (foundation-model technical reports -> []).

notes/relabel-clf10.jsonl holds one line per changed (file, id) row: its old and new topics / primary (contribution
is never changed by the rule) and a one-line reason. Applying rewrites only the "topics" and "primary" fields of those
rows; every other byte of every line of every file stays as it was, so --revert rebuilds the pre-clf10 files byte for
byte (train.jsonl.gz is re-compressed the way tools/train/import-labels.ts writes it: node's gzipSync, level 9, which
reproduces the committed archive exactly). A held-out file's .sha256 file, where it has one, is rewritten to the hash
of the file as written (so it matches the labels in force; the pre-clf10 hash comes back with --revert).

Usage: python3 data/classification/labels/apply-relabel-clf10.py [--revert] [--check]
  --check   only verify that every audited row carries the labels it should have before the step (old labels;
            with --revert, new labels), writing nothing
       python3 data/classification/labels/apply-relabel-clf10.py --compare-ids OUT --train-ids IDS
            touches no label file: writes to OUT the ids of IDS (the training rows, one id a line, e.g. the "ids"
            of a --dump-oof file) that the relabel did not change — the trainer's --compare-ids file
"""
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
AUDIT = os.path.join(HERE, 'notes', 'relabel-clf10.jsonl')
# "topics": [...], "primary": null | "slug" — the files mix compact and ", "-separated lines: keep each line's style
LABELS = re.compile(r'"topics":(\s?)\[[^\]]*\],(\s?)"primary":\s?(null|"[a-z-]+")')
TRAINING_FILES = ('dev.jsonl', 'heldout-2.jsonl', 'random.jsonl', 'train.jsonl.gz')


def render(topics, primary, sp, sep_sp):
    sep = ',' + (' ' if sp else '')
    return ('"topics":' + sp + '[' + sep.join(json.dumps(t) for t in topics) + '],' + sep_sp + '"primary":' + sp +
            json.dumps(primary))


def relabel(line, want, put):
    """Rewrites one line from labels `want` to labels `put` (each {topics, primary})."""
    row = json.loads(line)
    m = LABELS.search(line)
    assert m, row['id']
    sp, sep_sp = m.group(1), m.group(2)
    assert line[m.start():m.end()] == render(row['topics'], row['primary'], sp, sep_sp), (row['id'], 'style')
    assert row['topics'] == want['topics'] and row['primary'] == want['primary'], (row['id'], row['topics'], want)
    out = line[:m.start()] + render(put['topics'], put['primary'], sp, sep_sp) + line[m.end():]
    check = json.loads(out)
    assert check['topics'] == put['topics'] and check['primary'] == put['primary'], row['id']
    assert all(check[k] == row[k] for k in row if k not in ('topics', 'primary')), row['id']
    return out


def read(path):
    if path.endswith('.gz'):
        return gzip.open(path, 'rt', encoding='utf-8').read()
    return open(path, encoding='utf-8', newline='').read()


def write(path, text):
    data = text.encode('utf-8')
    if path.endswith('.gz'):
        js = ("const z=require('node:zlib');const c=[];process.stdin.on('data',d=>c.push(d));"
              "process.stdin.on('end',()=>process.stdout.write(z.gzipSync(Buffer.concat(c),{level:9})));")
        data = subprocess.run(['node', '-e', js], input=data, stdout=subprocess.PIPE, check=True).stdout
    with open(path, 'wb') as f:
        f.write(data)
    sha = path + '.sha256'
    if os.path.exists(sha):
        rel = os.path.relpath(path, REPO)
        with open(sha, 'w', encoding='utf-8') as f:
            f.write(hashlib.sha256(data).hexdigest() + '  ' + rel + '\n')


def main():
    args = sys.argv[1:]
    revert, check_only = '--revert' in args, '--check' in args
    audit = [json.loads(l) for l in open(AUDIT, encoding='utf-8') if l.strip()]
    if '--compare-ids' in args:
        out = args[args.index('--compare-ids') + 1]
        ids = [l.strip() for l in open(args[args.index('--train-ids') + 1], encoding='utf-8') if l.strip()]
        changed = {a['id'] for a in audit if a['file'] in TRAINING_FILES}
        keep = [i for i in ids if i not in changed]
        with open(out, 'w', encoding='utf-8') as f:
            f.write('\n'.join(keep) + '\n')
        print(f'{out}: {len(keep)} of {len(ids)} training ids ({len(ids) - len(keep)} relabelled rows left out)')
        return
    by_file = {}
    for a in audit:
        key = (a['file'], a['id'])
        assert key not in by_file.get(a['file'], {}), key
        by_file.setdefault(a['file'], {})[a['id']] = a
    for name, rows in sorted(by_file.items()):
        path = os.path.join(HERE, name)
        lines = read(path).split('\n')
        done = 0
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            rid = json.loads(line)['id']
            if rid not in rows:
                continue
            a = rows[rid]
            want, put = (a['new'], a['old']) if revert else (a['old'], a['new'])
            lines[i] = relabel(line, want, put)
            done += 1
        assert done == len(rows), (name, done, len(rows))
        if not check_only:
            write(path, '\n'.join(lines))
        print(f'{name}: {done} rows {"checked" if check_only else "reverted" if revert else "relabelled"}')


if __name__ == '__main__':
    main()
