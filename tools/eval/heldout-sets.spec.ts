// The never-tuned claims sets (heldout-5, heldout-6) are scored by eval:metrics as held-out sets, load with the
// scorer's reader and are the files that were hashed: heldout-5 when it was labelled, heldout-6 after its second
// labelling and adjudication (brief agree6), its first labelling kept as heldout-6.first.jsonl with the hash it was
// committed with. Reads only the label files: no extractor runs here, and no row is printed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLAIM_CATEGORIES, CLAIM_KINDS, CLAIM_UNITS } from '@paperwire/contracts';
import { canonicalMetric } from '@paperwire/metrics';
import { HELD_OUT_SETS, readLabelRows } from './metrics-score';

const LABELS = join(resolve(__dirname, '..', '..'), 'data', 'metrics', 'labels');
const NEVER_TUNED = ['heldout-5.jsonl', 'heldout-6.jsonl', 'heldout-7.jsonl'];
/** Every hashed held-out file: the scored sets and the independent labellings (hash of labelling time). */
const HASHED = [...NEVER_TUNED, 'heldout-6.first.jsonl', 'heldout-7.first.jsonl', 'heldout-7.second.jsonl'];
/** Every labelling of them: the scored sets, and heldout-6's and heldout-7's first and second labellings. */
const LABELLINGS = [...HASHED, 'heldout-6.second.jsonl'];
const sha256 = (file: string): string =>
  createHash('sha256')
    .update(readFileSync(join(LABELS, file)))
    .digest('hex');

describe('never-tuned claims sets', () => {
  it('heldout-6 and heldout-7 are scored as held-out sets (after the dev sets, their rows never printed)', () => {
    expect(HELD_OUT_SETS).toEqual(expect.arrayContaining(NEVER_TUNED));
  });

  it.each(HASHED)('%s is the file that was hashed', (file) => {
    const recorded = readFileSync(join(LABELS, `${file}.sha256`), 'utf8').split(/\s+/)[0];
    expect(sha256(file)).toBe(recorded);
  });

  it('the GUIDE records heldout-6 as labelled (the first labelling) and as adjudicated', () => {
    const guide = readFileSync(join(LABELS, 'GUIDE.md'), 'utf8');
    expect(sha256('heldout-6.first.jsonl')).toBe('a85d54154f0286c7b9f01379b6c38111a9364951921224b62fc963503352bce4');
    expect(guide.includes(sha256('heldout-6.first.jsonl'))).toBe(true);
    expect(guide.includes(sha256('heldout-6.jsonl'))).toBe(true);
  });

  it('the GUIDE records both independent labellings of heldout-7 with the hashes they were committed with', () => {
    const guide = readFileSync(join(LABELS, 'GUIDE.md'), 'utf8');
    expect(sha256('heldout-7.first.jsonl')).toBe('5f0790389d2ed2971fec7aa88565f4d602bf352024226c1ac5e48e9c21645d33');
    expect(sha256('heldout-7.second.jsonl')).toBe('e8a9106dc4a7361e2066a5b11c4f6b039dea2349f343b23ffa985ecea249ff12');
    expect(guide.includes(sha256('heldout-7.first.jsonl'))).toBe(true);
    expect(guide.includes(sha256('heldout-7.second.jsonl'))).toBe(true);
  });

  it.each(LABELLINGS)('%s loads with readLabelRows: 80 abstracts, spans and vocabularies valid', (file) => {
    const rows = readLabelRows(join(LABELS, file));
    expect(rows).toHaveLength(80);
    expect(new Set(rows.map((r) => r.id)).size).toBe(80);
    const bad: string[] = [];
    for (const row of rows) {
      let end = 0;
      for (const c of row.claims) {
        const why = [
          row.text.slice(c.start, c.end) !== c.text && 'span',
          c.start < end && 'overlap',
          !(CLAIM_UNITS as readonly string[]).includes(c.unit) && 'unit',
          !(CLAIM_CATEGORIES as readonly string[]).includes(c.category) && 'category',
          !(CLAIM_KINDS as readonly string[]).includes(c.kind) && 'kind',
          (c.category === 'setup') !== (c.kind === 'scope' || c.kind === 'size') && 'category/kind',
          c.metric !== null && canonicalMetric(c.metric) !== c.metric && 'metric',
          c.low != null && !(c.low <= c.value) && 'range',
          !Number.isFinite(c.value) && 'value',
        ].filter(Boolean);
        if (why.length) bad.push(`${row.id} @${c.start}: ${why.join(',')}`);
        end = c.end;
      }
    }
    expect(bad).toEqual([]);
  });

  it.each(
    ['heldout-6', 'heldout-7'].flatMap((set) => ['', '.first', '.second'].map((way) => [set, `${set}${way}.jsonl`])),
  )('%s: %s has the provenance rows of its set: one row per abstract, same ids and texts, in order', (set, file) => {
    const prov = join(LABELS, `${set}.provenance.jsonl`);
    expect(existsSync(prov)).toBe(true);
    const ids = readFileSync(prov, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { id: string }).id);
    const rows = readLabelRows(join(LABELS, file));
    expect(rows.map((r) => r.id)).toEqual(ids);
    const texts = readLabelRows(join(LABELS, `${set}.first.jsonl`)).map((r) => r.text);
    expect(rows.map((r) => r.text)).toEqual(texts);
  });
});
