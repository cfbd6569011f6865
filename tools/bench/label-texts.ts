// The texts the metric extractor's tools read from the committed label files (metrics-parity, bench-metrics): every
// JSONL (or gzipped JSONL) file of a label directory, one field of each row.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export function readJsonlFile(path: string): Record<string, unknown>[] {
  const raw = path.endsWith('.gz')
    ? gunzipSync(readFileSync(path)).toString('utf8')
    : readFileSync(path, 'utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Every text of a label directory's JSONL files, per file, read from `field`; files without it are skipped. */
export function textSets(dir: string, field: string): [string, string[]][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') || f.endsWith('.jsonl.gz'))
    .sort()
    .map((f): [string, string[]] => [
      f,
      readJsonlFile(join(dir, f))
        .map((r) => r[field])
        .filter((t): t is string => typeof t === 'string'),
    ])
    .filter(([, texts]) => texts.length > 0);
}
