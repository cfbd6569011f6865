// The never-tuned claims sets (heldout-5, heldout-6) are scored by eval:metrics as held-out sets, load with the
// scorer's reader and are the files that were hashed when they were labelled. Reads only the label files: no
// extractor runs here, and no row is printed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLAIM_CATEGORIES, CLAIM_KINDS, CLAIM_UNITS } from '@paperwire/contracts';
import { canonicalMetric } from '@paperwire/metrics';
import { HELD_OUT_SETS, readLabelRows } from './metrics-score';

const LABELS = join(resolve(__dirname, '..', '..'), 'data', 'metrics', 'labels');
const NEVER_TUNED = ['heldout-5.jsonl', 'heldout-6.jsonl'];

describe('never-tuned claims sets', () => {
  it('heldout-6 is scored as a held-out set (after the dev sets, its rows never printed)', () => {
    expect(HELD_OUT_SETS).toEqual(expect.arrayContaining(NEVER_TUNED));
  });

  it.each(NEVER_TUNED)('%s is the file hashed at labelling time', (file) => {
    const recorded = readFileSync(join(LABELS, `${file}.sha256`), 'utf8').split(/\s+/)[0];
    const actual = createHash('sha256')
      .update(readFileSync(join(LABELS, file)))
      .digest('hex');
    expect(actual).toBe(recorded);
  });

  it.each(NEVER_TUNED)('%s loads with readLabelRows: 80 abstracts, spans and vocabularies valid', (file) => {
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

  it('heldout-6 has its provenance: one row per abstract, same ids, in order', () => {
    const prov = join(LABELS, 'heldout-6.provenance.jsonl');
    expect(existsSync(prov)).toBe(true);
    const ids = readFileSync(prov, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toEqual(readLabelRows(join(LABELS, 'heldout-6.jsonl')).map((r) => r.id));
  });
});
