import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabase } from '../data-source';
import {
  bulkQuery,
  namedQuery,
  statementName,
  type BulkRow,
  type BulkSpec,
  type BulkTransport,
} from './bulk';

// libs/testing depends on this lib, so this spec makes its own scratch schema (no migrations needed).
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bulk_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
let ds: DataSource;

const ROWS: BulkSpec = {
  name: 'spec_rows',
  columns: [
    ['id', 'uuid'],
    ['t', 'text'],
    ['n', 'int'],
    ['f', 'float8'],
    ['b', 'boolean'],
    ['at', 'timestamptz'],
    ['j', 'jsonb'],
    ['arr', 'text[]'],
    ['end', 'int'],
  ],
  sql: (x) => `INSERT INTO rows (id, t, n, f, b, at, j, arr, "end", tag)
       SELECT x.id, x.t, x.n, x.f, x.b, x.at, x.j, x.arr, x."end", $1 FROM ${x}
       ON CONFLICT (id) DO UPDATE SET t = EXCLUDED.t
       RETURNING id, t, (xmax = 0) AS inserted`,
};

const TRICKY = [
  'tab\there',
  'line\nbreak and\r\ncrlf',
  'back\\slash \\N \\. \\\\t',
  '\\N',
  '\\.',
  'quotes " \' and {braces}, commas, NULL',
  'unicode: é ü ß 中文 日本語 🚀 👩‍🔬 e\u0301',
  '',
  'trailing backslash \\',
];

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function rowsFor(offset: number): BulkRow[] {
  return TRICKY.map((t, i) => ({
    id: uuid(offset + i),
    t,
    n: i % 2 === 0 ? i : null,
    f: i === 0 ? -1.5e-7 : i * 0.1,
    b: i % 3 === 0 ? false : i % 3 === 1 ? true : null,
    at: i % 2 === 0 ? '2026-11-24T10:00:00.123Z' : null,
    j: i === 1 ? null : { s: t, list: [t, null, 1.5], nested: { k: '\\"\t' } },
    arr: i === 2 ? null : i === 3 ? [] : [t, 'x,y', '"q"', 'NULL', '{a}'],
    end: i,
  }));
}

beforeAll(async () => {
  await ensureDatabase(url, schema);
  ds = await createDataSource({ url, schema, poolSize: 3 }).initialize();
  await ds.query(`CREATE TABLE rows (id uuid PRIMARY KEY, t text, n int, f float8, b boolean, at timestamptz, j jsonb, arr text[],
                  "end" int, tag text)`);
});

afterAll(async () => {
  await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await ds.destroy();
});

describe.each<BulkTransport>(['array', 'copy', 'json'])('bulkQuery (%s)', (transport) => {
  const offset = { array: 0, copy: 100, json: 200 }[transport];

  it('stores tabs, newlines, backslashes, unicode, empty strings, NULLs, arrays and JSON unchanged', async () => {
    const rows = rowsFor(offset);
    const out = await ds.transaction((em) =>
      bulkQuery<{ id: string; t: string; inserted: boolean }>(em, ROWS, rows, [transport], transport),
    );
    expect(out.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(out.every((r) => r.inserted)).toBe(true);
    const stored: Record<string, unknown>[] = await ds.query(
      `SELECT id, t, n, f, b, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, j, arr, "end", tag
         FROM rows WHERE tag = $1 ORDER BY "end"`,
      [transport],
    );
    expect(stored).toEqual(rows.map((r) => ({ ...r, tag: transport })));
  });

  it('runs ON CONFLICT and reports updated rows, outside a transaction too', async () => {
    const rows = rowsFor(offset).map((r) => ({ ...r, t: `${String(r.t)}\tv2` }));
    const out = await bulkQuery<{ id: string; t: string; inserted: boolean }>(
      ds,
      ROWS,
      rows,
      [transport],
      transport,
    );
    expect(out).toHaveLength(rows.length);
    expect(out.some((r) => r.inserted)).toBe(false);
    expect(new Set(out.map((r) => r.t))).toEqual(new Set(rows.map((r) => r.t)));
  });

  it('handles an empty batch', async () => {
    await expect(ds.transaction((em) => bulkQuery(em, ROWS, [], ['none'], transport))).resolves.toEqual([]);
  });
});

describe('bulkQuery copy staging', () => {
  it('starts each call from an empty temporary table, survives a rollback and leaves nothing after commit', async () => {
    const spec: BulkSpec = {
      name: 'spec_count',
      columns: [['t', 'text']],
      sql: (x) => `SELECT count(*)::int AS n FROM ${x}`,
    };
    const one = [{ t: 'a' }, { t: 'b' }];
    await ds.transaction(async (em) => {
      expect(await bulkQuery(em, spec, one, [], 'copy')).toEqual([{ n: 2 }]);
      // a second call in the same transaction sees only its own rows
      expect(await bulkQuery(em, spec, [{ t: 'c' }], [], 'copy')).toEqual([{ n: 1 }]);
    });
    // the transaction that created the temporary table rolls back: the next call recreates it
    await expect(
      ds.transaction(async (em) => {
        await bulkQuery(em, spec, one, [], 'copy');
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    // every pooled connection, several times over
    const counts = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        ds.transaction((em) => bulkQuery<{ n: number }>(em, spec, one.slice(0, 1 + (i % 2)), [], 'copy')),
      ),
    );
    expect(counts.map((c) => c[0].n)).toEqual(Array.from({ length: 9 }, (_, i) => 1 + (i % 2)));
    const left: { n: number }[] = await ds.transaction(async (em) => {
      const qr = em.queryRunner!;
      return qr.query(`SELECT count(*)::int AS n FROM pg_temp.pw_bulk_spec_count`);
    });
    expect(left).toEqual([{ n: 0 }]);
  });

  it('rejects a row the table refuses and leaves the connection usable', async () => {
    const bad = [{ ...rowsFor(900)[0], n: 'not a number' }];
    await expect(ds.transaction((em) => bulkQuery(em, ROWS, bad, ['bad'], 'copy'))).rejects.toThrow(
      /invalid input syntax/,
    );
    await expect(namedQuery(ds, 'spec_one', 'SELECT 1 AS one', [])).resolves.toEqual([{ one: 1 }]);
  });
});

describe('namedQuery', () => {
  it('keeps names within the 63 bytes Postgres allows, distinct for distinct long names', async () => {
    const long = `pw_advance_classified_${'x'.repeat(60)}`;
    expect(statementName('short')).toBe('short');
    expect(statementName(long)).toHaveLength(63);
    expect(statementName(long)).not.toBe(statementName(`${long}_y`));
    await expect(namedQuery(ds, long, 'SELECT $1::int AS n', [3])).resolves.toEqual([{ n: 3 }]);
    await expect(namedQuery(ds, `${long}_y`, 'SELECT $1::int + 1 AS n', [3])).resolves.toEqual([{ n: 4 }]);
  });
});
