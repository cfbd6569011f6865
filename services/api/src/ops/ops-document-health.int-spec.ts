import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, recordSourceDocumentFailed, recordSourceItems, recordSourceSuccess } from '@paperwire/db';
import { useTestApi } from '../testing/use-test-api';
import { escapeHtmlForOps, renderOpsSections } from './ops-render';

jest.setTimeout(120_000);

// Review 24: a source whose latest document could not be parsed showed "200 none" on /ops, ok in `sources list`
// and `stats`; the entries a parsed document skipped were nowhere but raw_documents. Every operator surface now
// reads both from the source row (the parser writes them).

describe('/ops, stats and sources list: a document that did not parse, entries that were skipped', () => {
  const ids: Record<string, string> = {};
  let admin = '';
  const api = useTestApi('t_ops_doc_health', async (db) => {
    admin = (await createApiKey(db.ds, { name: 'admin', scopes: ['admin'] })).key;
    const rows: { id: string; name: string }[] = await db.ds.query(
      `INSERT INTO sources (name, kind, url) VALUES ('broken1', 'file', '/tmp/x.json'), ('hf', 'file', '/tmp/hf.json'), ('lines', 'file', '/tmp/l.jsonl') RETURNING id, name`,
    );
    for (const r of rows) {
      ids[r.name] = r.id;
      await recordSourceSuccess(db.ds, r.id, { status: 200, items: null });
    }
    await recordSourceDocumentFailed(db.ds, ids.broken1!, 'the latest document (d1) could not be parsed: unknown-format: invalid JSON');
    await recordSourceItems(db.ds, ids.hf!, 2, null, { count: 1, sample: [{ index: 1, id: '2612.00003', message: 'missing title' }] });
    // a line format's entries by their lines (from 1), as the parser records them
    await recordSourceItems(db.ds, ids.lines!, 2, null, { count: 2, sample: [{ index: 3, line: 4, message: 'missing title' }, { index: 4, line: 5, message: 'not valid JSON' }] });
  });
  const cell = (html: string, id: string) => new RegExp(`data-testid="${id}">([^<]*)<`).exec(html)?.[1];

  it('/ops: the source fails with its class (its reasons with an admin key), the skipped entries are counted and named', async () => {
    const html = (await api.http().get('/ops').expect(200)).text;
    expect(cell(html, 'source-broken1-status')).toBe('200');
    expect(cell(html, 'source-broken1-error')).toBe('document not parsed (unknown-format)');
    expect(cell(html, 'source-broken1-failures')).toMatch(/^since .*: 1 failed poll in a row \(1 failed attempt, retries included\)$/);
    expect(cell(html, 'skipped-entries')).toBe('3');
    expect(cell(html, 'skipped-hf')).toBe('hf: 1 (reasons need an admin key)');

    const full = (await api.http().get('/v1/stats/pipeline').set('X-API-Key', admin).expect(200)).body;
    const sections = renderOpsSections(full, escapeHtmlForOps);
    expect(cell(sections.sources!, 'source-broken1-error')).toBe('the latest document (d1) could not be parsed: unknown-format: invalid JSON');
    expect(cell(sections.summary!, 'skipped-hf')).toBe('hf: 1 (2612.00003 missing title)');
    expect(cell(sections.summary!, 'skipped-lines')).toBe('lines: 2 (line 4 missing title, line 5 not valid JSON)');
  });

  it('`sources list` and `stats` say the same', async () => {
    const list = await api.cli(['sources', 'list', '--json']);
    const byName = Object.fromEntries(list.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((s) => [s.name, s]));
    expect(byName.broken1).toMatchObject({ lastStatus: 200, lastError: 'the latest document (d1) could not be parsed: unknown-format: invalid JSON', consecutiveFailures: 1 });
    expect(byName.hf).toMatchObject({ lastError: null, skippedEntries: 1, skippedSample: [{ index: 1, id: '2612.00003', message: 'missing title' }] });
    const stats = (await api.cli(['stats'])).stdout;
    expect(stats).toMatch(/source broken1 failing since \S+: 1 failed poll in a row \(1 failed attempt, retries included\): the latest document \(d1\) could not be parsed/);
    expect(stats).toContain("skipped entries in the sources' latest documents: 3");
    expect(stats).toContain('source hf skipped 1 entry: 2612.00003 missing title');
    expect(stats).toContain('source lines skipped 2 entries: line 4 missing title, line 5 not valid JSON');
  });

  it('an upload of bytes that failed to parse before leaves the upload source failing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pw-upload-')), 'x.json');
    writeFileSync(file, '[{"id": "2612.00001", "title": "cut sh');
    const first = JSON.parse((await api.cli(['ingest', file])).stdout) as { rawDocumentId: string };
    await api.db.ds.query(`UPDATE raw_documents SET status = 'failed', error = 'unknown-format: invalid JSON' WHERE id = $1`, [first.rawDocumentId]);
    expect((await api.cli(['ingest', file])).code).toBe(0);
    const [upload] = await api.db.ds.query(`SELECT last_error, consecutive_failures FROM sources WHERE name = 'upload'`);
    expect(upload).toEqual({ last_error: `the latest document (${first.rawDocumentId}) could not be parsed: unknown-format: invalid JSON`, consecutive_failures: 1 });
  });

  it('`sources add` without --every says it is fetched only when asked, and how', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-sources-'));
    for (const f of ['asked.json', 'timed.json']) writeFileSync(join(dir, f), '[]');
    const added = await api.cli(['sources', 'add', 'asked', 'file', join(dir, 'asked.json')]);
    expect(added.code).toBe(0);
    expect(added.stderr).toContain('paperwire: asked has no --every, so it is fetched only when asked: run `paperwire sources poll asked` now');
    const every = await api.cli(['sources', 'add', 'timed', 'file', join(dir, 'timed.json'), '--every', '600']);
    expect([every.code, every.stderr]).toEqual([0, '']);
  });
});
