// The owners' acceptance material (the bundled Daily Papers text capture, data/sample/daily-papers-sep-1.txt, and
// ../shared/eval-public/arxiv-abstracts/guibanzato_arxiv_4class_balanced_800.csv) is never used to train or tune the
// classifier or the extractor (data/sample/PROVENANCE.md, issue #18). This finds where a tracked file of the extractor,
// the classifier, their tools or their data quotes it: a run of RUN consecutive words shared with one of its abstracts.
// Words are normalised: lowercase, runs of [a-z0-9%.] with leading and trailing dots dropped ("models." is "models").
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const RUN = 10;
/** What the guard reads (tracked files under these folders). */
export const GUARDED_DIRS = [
  'libs/metrics',
  'libs/classification',
  'tools/eval',
  'tools/train',
  'data/metrics',
  'data/classification',
] as const;
/** Never read: the capture itself, and feed-parser fixtures and specs (they test parsing, not quality). */
const EXEMPT_RE = /^(?:data\/sample\/|libs\/feeds\/|fixtures\/)/;

/**
 * Stock wording many abstracts share ("… show that our method outperforms current state of the art", "… state of the
 * art performance. Code is available at https …"): a run made only of these words quotes no paper in particular, and
 * counts for nothing. A run with any other word (a name, a number, a content word) counts.
 */
const STOCK = new Set(
  (
    'a an the of to in on for and or with by from at as is are be been was were this that these those it its we our ' +
    'us they their which than then also can will not all both such each more most new show shows shown showing ' +
    'demonstrate demonstrates results result experiments experimental extensive method methods approach approaches ' +
    'model models outperforms outperform outperforming significantly current existing previous state art sota ' +
    'performance achieves achieve achieving competitive compared baselines baseline strong code data available ' +
    'publicly released release https http github com github.com huggingface.co io www paper propose proposed work framework benchmark ' +
    'benchmarks tasks task various multiple across while best knowledge first other source sets set'
  ).split(' '),
);

export function words(text: string): string[] {
  const out: string[] = [];
  for (const w of text.toLowerCase().match(/[a-z0-9%.]+/g) ?? []) {
    const t = w.replace(/^\.+|\.+$/g, '');
    if (t) out.push(t);
  }
  return out;
}

/** The RUN-word runs of some texts, as word-id keys, and the words they use. */
export interface RunIndex {
  ids: Map<string, number>;
  runs: Map<string, number>;
}

export function indexRuns(texts: readonly string[]): RunIndex {
  const ids = new Map<string, number>();
  const runs = new Map<string, number>();
  texts.forEach((t, source) => {
    const ws = words(t).map((w) => {
      let id = ids.get(w);
      if (id === undefined) ids.set(w, (id = ids.size));
      return id;
    });
    for (let i = 0; i + RUN <= ws.length; i++) runs.set(ws.slice(i, i + RUN).join(','), source);
  });
  return { ids, runs };
}

export interface SharedRun {
  /** The shared words. */
  run: string;
  /** The index of the acceptance text it is shared with. */
  source: number;
}

/** The runs of `text` shared with the indexed texts (one per stretch of overlap, its first run). */
export function sharedRuns(index: RunIndex, text: string): SharedRun[] {
  const ws = words(text);
  const found: SharedRun[] = [];
  let inVocab = 0; // how many words before i (inclusive) are all words of the index
  let lastHit = -RUN;
  const ids: number[] = new Array<number>(ws.length);
  for (let i = 0; i < ws.length; i++) {
    const id = index.ids.get(ws[i]);
    if (id === undefined) {
      inVocab = 0;
      continue;
    }
    ids[i] = id;
    inVocab++;
    if (inVocab < RUN) continue;
    const source = index.runs.get(ids.slice(i - RUN + 1, i + 1).join(','));
    if (source === undefined) continue;
    if (ws.slice(i - RUN + 1, i + 1).every((w) => STOCK.has(w))) continue;
    if (i - lastHit >= RUN) found.push({ run: ws.slice(i - RUN + 1, i + 1).join(' '), source });
    lastHit = i;
  }
  return found;
}

/** A file's text: gzip unpacked; binary files (a NUL byte) read as nothing. */
export function fileText(path: string): string {
  let buf = readFileSync(path);
  if (path.endsWith('.gz')) buf = gunzipSync(buf);
  if (buf.subarray(0, 65536).includes(0)) return '';
  return buf.toString('utf8');
}

/** The tracked files the guard reads, relative to the repository root. */
export function guardedFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--', ...GUARDED_DIRS], { cwd: root, maxBuffer: 64 << 20 });
  return out
    .toString('utf8')
    .split('\0')
    .filter((p) => p && !EXEMPT_RE.test(p));
}

/** Every guarded file that shares a run with the indexed texts, with its first `keep` runs. */
export function quotingFiles(
  root: string,
  index: RunIndex,
  files = guardedFiles(root),
  keep = 3,
): Map<string, SharedRun[]> {
  const hits = new Map<string, SharedRun[]>();
  for (const f of files) {
    let text: string;
    try {
      text = fileText(join(root, f));
    } catch {
      continue; // listed but absent (a deleted, uncommitted file)
    }
    const shared = sharedRuns(index, text);
    if (shared.length > 0) hits.set(f, shared.slice(0, keep));
  }
  return hits;
}
