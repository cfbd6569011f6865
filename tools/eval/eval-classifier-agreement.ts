// Inter-annotator agreement on the double-labelled papers (double-200): the second, independent labelling
// (data/classification/labels/double-200.<labeller>.jsonl, labels only) against the first labelling of the
// same papers (in train.jsonl.gz, imported from the train-a04..a06 chunks); and a held-out set labelled twice
// (heldout-N.<labeller>.jsonl, labels only) against its reference labels (heldout-N.jsonl); and a random-stream
// chunk labelled twice (random-<chunk>.<labeller>.jsonl, labels only) against its rows in random.jsonl.
// Prints, per topic: F1 of one labeller against the other (symmetric), Cohen's kappa on the paper-level yes/no
// decision, and how many papers each labeller gave the topic; pooled (micro) F1; primary-topic agreement (null
// counts as a class) and its kappa; contribution-type agreement and kappa. With --write, also writes the
// figures to data/classification/labels/AGREEMENT.md.
// Usage: node tools/run.js tools/eval/eval-classifier-agreement [--write] [--a FILE --b FILE]
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { cohenKappa, findRepoRoot } from '@paperwire/classification';

interface Labels {
  id: string;
  topics: string[];
  primary: string | null;
  contribution: string;
  labeller?: string;
}

const ROOT = findRepoRoot(__dirname);
const LABELS = join(ROOT, 'data', 'classification', 'labels');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const parse = (text: string): Labels[] =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labels);
const read = (path: string): Labels[] =>
  parse(path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8'));

function main(): void {
  let pairs: { name: string; a: Labels[]; b: Labels[] }[] = [];
  const fa = arg('--a');
  const fb = arg('--b');
  if (fa && fb) pairs.push({ name: `${fa} vs ${fb}`, a: read(fa), b: read(fb) });
  else {
    const first = existsSync(join(LABELS, 'train.jsonl.gz')) ? read(join(LABELS, 'train.jsonl.gz')) : [];
    pairs = readdirSync(LABELS)
      .filter((f) => /^double-200\.[a-z0-9]+\.jsonl$/.test(f))
      .map((f) => ({ name: `${f} vs first labelling (train.jsonl.gz)`, a: first, b: read(join(LABELS, f)) }));
    // A held-out set labelled twice: heldout-N.jsonl (the reference labels) against heldout-N.<labeller>.jsonl.
    for (const f of readdirSync(LABELS).sort()) {
      const m = /^(heldout-\d+)\.[a-z0-9]+\.jsonl$/.exec(f);
      if (m && existsSync(join(LABELS, `${m[1]}.jsonl`)))
        pairs.push({ name: `${m[1]}.jsonl vs ${f}`, a: read(join(LABELS, `${m[1]}.jsonl`)), b: read(join(LABELS, f)) });
    }
    // A random-stream chunk labelled twice: its rows in random.jsonl against random-<chunk>.<labeller>.jsonl.
    const stream = existsSync(join(LABELS, 'random.jsonl')) ? read(join(LABELS, 'random.jsonl')) : [];
    for (const f of readdirSync(LABELS).sort()) {
      const m = /^(random-[a-z0-9]+)\.[a-z0-9]+\.jsonl$/.exec(f);
      if (m) {
        const a = stream.filter((r) => (r as Labels & { chunk?: string }).chunk === m[1]);
        pairs.push({ name: `random.jsonl chunk ${m[1]} vs ${f}`, a, b: read(join(LABELS, f)) });
      }
    }
  }
  if (pairs.length === 0) {
    process.stdout.write(
      'no second labelling of double-200 in data/classification/labels yet (double-200.<labeller>.jsonl)\n',
    );
    return;
  }
  const lines: string[] = [];
  const out = (s = ''): void => {
    lines.push(s);
    process.stdout.write(s + '\n');
  };
  for (const { name, a, b } of pairs) {
    const byId = new Map(a.map((r) => [r.id, r]));
    const both = b.filter((r) => byId.has(r.id)).map((r) => ({ x: byId.get(r.id) as Labels, y: r }));
    out(`## ${name}`);
    out();
    out(
      `${both.length} papers labelled by both (first labeller(s): ${[...new Set(both.map((p) => p.x.labeller ?? '?'))].join(', ')})`,
    );
    out();
    const slugs = [...new Set(both.flatMap((p) => [...p.x.topics, ...p.y.topics]))].sort();
    let tp = 0;
    let fp = 0;
    let fn = 0;
    out('| topic | first | second | both | F1 | kappa |');
    out('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const s of slugs) {
      const xa = both.map((p) => (p.x.topics.includes(s) ? '1' : '0'));
      const ya = both.map((p) => (p.y.topics.includes(s) ? '1' : '0'));
      let t = 0;
      let nx = 0;
      let ny = 0;
      for (let i = 0; i < xa.length; i++) {
        if (xa[i] === '1') nx++;
        if (ya[i] === '1') ny++;
        if (xa[i] === '1' && ya[i] === '1') t++;
      }
      tp += t;
      fp += ny - t;
      fn += nx - t;
      const f1 = nx + ny ? (2 * t) / (nx + ny) : 0;
      out(`| ${s} | ${nx} | ${ny} | ${t} | ${f1.toFixed(3)} | ${cohenKappa(xa, ya).toFixed(3)} |`);
    }
    out();
    out(`micro-F1 (pooled over topics) ${(tp ? (2 * tp) / (2 * tp + fp + fn) : 0).toFixed(3)}`);
    const px = both.map((p) => p.x.primary ?? 'null');
    const py = both.map((p) => p.y.primary ?? 'null');
    const pAgree = px.filter((v, i) => v === py[i]).length;
    out(
      `primary topic agreement ${((100 * pAgree) / Math.max(1, both.length)).toFixed(1)}% (null counts as a class), kappa ${cohenKappa(px, py).toFixed(3)}`,
    );
    const emptyAgree = both.filter((p) => (p.x.topics.length === 0) === (p.y.topics.length === 0)).length;
    out(`"no topic" agreement ${((100 * emptyAgree) / Math.max(1, both.length)).toFixed(1)}%`);
    const cx = both.map((p) => p.x.contribution);
    const cy = both.map((p) => p.y.contribution);
    const cAgree = cx.filter((v, i) => v === cy[i]).length;
    out(
      `contribution type agreement ${((100 * cAgree) / Math.max(1, both.length)).toFixed(1)}%, kappa ${cohenKappa(cx, cy).toFixed(3)}`,
    );
    out();
  }
  if (process.argv.includes('--write')) {
    writeFileSync(
      join(LABELS, 'AGREEMENT.md'),
      `# Inter-annotator agreement (double-200, heldout-5, random-7a)\n\nGenerated by \`node tools/run.js tools/eval/eval-classifier-agreement --write\`.\n\n${lines.join('\n')}\n`,
    );
  }
}

main();
