// Imports the team's labelled chunks into the repository (data/classification/labels/):
//   train.jsonl.gz          every labelled line of every `train-*` chunk (text + labels + labeller + chunk),
//                           one gzip'd JSONL, sorted by chunk then position; the training corpus of the
//                           learned model. A paper labelled twice keeps its first (chunk) labelling here.
//   double-200.<l>.jsonl    labels only (no text) of the independent second labelling of double-200, for
//                           the agreement check (tools/eval/eval-classifier-agreement).
//   random.jsonl            (--random-pool DIR --random-labels DIR) the random stream: every `random-*.jsonl`
//                           label file of DIR (one JSON line per paper, `labeller` in the line) joined with the
//                           pool file of the same name (text, `picked`, `from`); `picked` is recorded on every
//                           row (rows picked otherwise than "random" are imported as they are, and say so).
//                           Rows of chunks DIR does not hold stay as they are (a new round is appended; a chunk
//                           imported again replaces its rows).
// heldout-3 and heldout-4 are NOT imported here: they were committed on their own (with their sha256) before any
// training.
// Lines are validated (the 20 default slugs, primary ∈ topics, null iff empty, a contribution type);
// invalid lines are reported and skipped. Partial chunks (no .done yet) are imported up to their last line.
// Usage: node tools/run.js tools/train/import-labels --chunks DIR --labels DIR [--provenance FILE]
//        node tools/run.js tools/train/import-labels --random-pool DIR --random-labels DIR
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONTRIBUTION_TYPES } from '@paperwire/contracts';
import { findRepoRoot } from '@paperwire/classification';

const ROOT = findRepoRoot(__dirname);
const LABELS = join(ROOT, 'data', 'classification', 'labels');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const chunksDir = arg('--chunks');
const labelsDir = arg('--labels');
const provenanceFile = arg('--provenance');
const randomPool = arg('--random-pool');
const randomLabels = arg('--random-labels');
if ((!chunksDir || !labelsDir) && (!randomPool || !randomLabels)) {
  process.stderr.write(
    'usage: import-labels --chunks DIR --labels DIR [--provenance FILE] | --random-pool DIR --random-labels DIR\n',
  );
  process.exit(2);
}

interface ChunkPaper {
  id: string;
  source: string;
  title: string;
  abstract: string;
}
interface LabelLine {
  id: string;
  topics: string[];
  primary: string | null;
  contribution: string;
}

const slugs = new Set(
  (
    JSON.parse(readFileSync(join(ROOT, 'data', 'taxonomy', 'default-topics.json'), 'utf8')) as {
      slug: string;
    }[]
  ).map((t) => t.slug),
);
const contributions = new Set<string>(CONTRIBUTION_TYPES);

function readLines<T>(path: string): { rows: T[]; bad: number } {
  const rows: T[] = [];
  let bad = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as T);
    } catch {
      bad++; // a line being written when we read
    }
  }
  return { rows, bad };
}

function valid(l: LabelLine): boolean {
  if (typeof l.id !== 'string' || !Array.isArray(l.topics)) return false;
  if (!l.topics.every((t) => slugs.has(t)) || new Set(l.topics).size !== l.topics.length) return false;
  if (l.topics.length === 0 ? l.primary !== null : !l.topics.includes(l.primary as string)) return false;
  return contributions.has(l.contribution);
}

/** Label lines joined with their texts: valid and matched ones, each id's first labelling only; counts the rest. */
function joinLabels<P extends ChunkPaper, L extends LabelLine>(
  rows: L[],
  texts: Map<string, P>,
  seen: Set<string>,
): { pairs: { p: P; r: L }[]; invalid: number } {
  const pairs: { p: P; r: L }[] = [];
  let invalid = 0;
  for (const r of rows) {
    const p = texts.get(r.id);
    if (!p || !valid(r)) {
      invalid++;
      continue;
    }
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    pairs.push({ p, r });
  }
  return { pairs, invalid };
}

interface PoolPaper extends ChunkPaper {
  categories?: string[];
  picked?: string;
  from?: string;
}

/** The random stream: random-*.jsonl label lines + their pool rows -> labels/random.jsonl. */
function importRandom(poolDir: string, outDir: string): void {
  const files = readdirSync(outDir)
    .filter((f) => /^random-[a-z0-9-]+\.jsonl$/.test(f))
    .sort();
  // Rows already in random.jsonl are kept, in order, unless this run re-imports their chunk: a new round is
  // added without the label files of the earlier rounds (which are not kept in the repository).
  const importing = new Set(files.map((f) => basename(f, '.jsonl')));
  const existing = join(LABELS, 'random.jsonl');
  const kept = (existsSync(existing) ? readFileSync(existing, 'utf8').split('\n') : [])
    .filter((line) => line.trim())
    .map((line) => ({ line, row: JSON.parse(line) as { id: string; chunk?: string } }))
    .filter(({ row }) => !importing.has(row.chunk ?? ''));
  const lines: string[] = kept.map((k) => k.line); // byte for byte
  const seen = new Set<string>(kept.map((k) => k.row.id));
  const report: string[] = kept.length ? [`kept ${kept.length} rows of chunks not re-imported`] : [];
  let invalid = 0;
  for (const f of files) {
    const chunk = basename(f, '.jsonl');
    const poolPath = join(poolDir, f);
    if (!existsSync(poolPath)) {
      report.push(`${chunk}: no pool file ${poolPath}, skipped`);
      continue;
    }
    const texts = new Map(readLines<PoolPaper>(poolPath).rows.map((p) => [p.id, p]));
    const { rows, bad } = readLines<LabelLine & { labeller?: string }>(join(outDir, f));
    invalid += bad;
    const picked = new Map<string, number>();
    const joined = joinLabels(rows, texts, seen);
    invalid += joined.invalid;
    const n = joined.pairs.length;
    for (const { p, r } of joined.pairs) {
      const how = p.picked ?? 'unknown';
      picked.set(how, (picked.get(how) ?? 0) + 1);
      lines.push(
        JSON.stringify({
          id: p.id,
          source: p.source,
          title: p.title,
          abstract: p.abstract,
          categories: p.categories ?? [],
          topics: r.topics,
          primary: r.primary,
          contribution: r.contribution,
          labeller: r.labeller ?? '',
          chunk,
          picked: how,
          ...(p.from ? { from: p.from } : {}),
        }),
      );
    }
    const pickedText = [...picked.entries()].map(([k, v]) => `${k} ${v}`).join(', ');
    report.push(`${chunk}: ${n} of ${texts.size} (picked: ${pickedText || 'none'})`);
  }
  writeFileSync(join(LABELS, 'random.jsonl'), lines.join('\n') + '\n');
  process.stdout.write(
    `${report.join('\n')}\nrandom.jsonl: ${lines.length} papers, ${invalid} invalid or unmatched lines skipped\n`,
  );
}

function importChunks(chunksDir: string, labelsDir: string): void {
  const provenance = new Map<string, string>();
  if (provenanceFile && existsSync(provenanceFile)) {
    for (const r of readLines<{ id: string; repo: string; path: string; commit: string }>(provenanceFile)
      .rows)
      provenance.set(r.id, `${r.repo}@${r.commit.slice(0, 12)}:${r.path}`);
  }

  const chunkText = new Map<string, Map<string, ChunkPaper>>();
  const chunkOf = (name: string): Map<string, ChunkPaper> => {
    let m = chunkText.get(name);
    if (!m) {
      m = new Map(readLines<ChunkPaper>(join(chunksDir, `${name}.jsonl`)).rows.map((p) => [p.id, p]));
      chunkText.set(name, m);
    }
    return m;
  };

  const files = readdirSync(labelsDir)
    .filter((f) => /^[a-z0-9-]+\.[a-z0-9]+\.jsonl$/.test(f))
    .sort();
  const train: string[] = [];
  const seen = new Set<string>();
  const report: string[] = [];
  let invalid = 0;
  for (const f of files) {
    const [chunk, labeller] = basename(f, '.jsonl').split('.');
    if (chunk === 'heldout-3') continue;
    const { rows, bad } = readLines<LabelLine>(join(labelsDir, f));
    const done = existsSync(join(labelsDir, `${chunk}.${labeller}.done`));
    if (chunk.startsWith('double-')) {
      const ok = rows.filter(valid);
      invalid += rows.length - ok.length + bad;
      writeFileSync(
        join(LABELS, `${chunk}.${labeller}.jsonl`),
        ok
          .map((r) =>
            JSON.stringify({ id: r.id, topics: r.topics, primary: r.primary, contribution: r.contribution }),
          )
          .join('\n') + '\n',
      );
      report.push(`${chunk}.${labeller}: ${ok.length} (labels only)${done ? '' : ' (partial)'}`);
      continue;
    }
    if (!chunk.startsWith('train-')) continue;
    const texts = chunkOf(chunk);
    const joined = joinLabels(rows, texts, seen);
    invalid += joined.invalid;
    const n = joined.pairs.length;
    for (const { p, r } of joined.pairs) {
      train.push(
        JSON.stringify({
          id: p.id,
          source: p.source,
          title: p.title,
          abstract: p.abstract,
          topics: r.topics,
          primary: r.primary,
          contribution: r.contribution,
          labeller,
          chunk,
          ...(provenance.has(p.id) ? { from: provenance.get(p.id) } : {}),
        }),
      );
    }
    report.push(`${chunk}.${labeller}: ${n}${done ? '' : ' (partial)'}`);
  }
  const body = gzipSync(Buffer.from(train.join('\n') + '\n', 'utf8'), { level: 9 });
  writeFileSync(join(LABELS, 'train.jsonl.gz'), body);
  process.stdout.write(
    `${report.join('\n')}\ntrain.jsonl.gz: ${train.length} papers (${(body.length / 1024).toFixed(0)} KiB), ${invalid} invalid or unmatched lines skipped\n`,
  );
}

if (randomPool && randomLabels) importRandom(randomPool, randomLabels);
if (chunksDir && labelsDir) importChunks(chunksDir, labelsDir);
