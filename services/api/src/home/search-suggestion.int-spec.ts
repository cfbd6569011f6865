import { SPELLING_CANDIDATES_SQL, SPELLING_FIRST_LETTER_SQL, SPELLING_MAX_WORDS, refreshPaperSearch, refreshSearchWords, searchSuggestion, spellingCandidates } from '@paperwire/db';
import { seedPaper, seedSource, seedTopic } from '@paperwire/testing';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(90_000);

// A search that matches nothing says what it may have meant ("Did you mean transformer?"), from the words of the
// catalogue the sweeper counts (search_words), when the corrected search matches a paper under the same filters.
describe('a search that matches nothing suggests its spelling', () => {
  const api = useTestApi('t_search_suggest', async () => undefined);
  const http = () => api.http();

  beforeAll(async () => {
    const { ds } = api.db;
    await seedTopic(ds, 'efficiency', 'Efficiency');
    await seedTopic(ds, 'agents', 'Agents');
    const source = await seedSource(ds, 'hf-suggest', 'hf-daily-papers');
    const papers: [string, string, string][] = [
      ['Sparse transformer kernels', 'A transformer with sparse attention runs faster on long inputs.', 'efficiency'],
      ['Pruning transformer layers', 'We prune the layers of a transformer without retraining it.', 'efficiency'],
      ['Web agents that plan', 'Our agent plans its clicks; agents trained this way finish more tasks.', 'agents'],
      ['Agents for spreadsheets', 'An agent edits spreadsheets by writing formulas.', 'agents'],
    ];
    const ids: string[] = [];
    for (const [title, abstract, topic] of papers)
      ids.push(
        await seedPaper(ds, {
          title,
          abstract,
          // one paper by a rarer name: found among the words sharing its first letters (review 26d: words of one paper were
          // never offered)
          authors: title === 'Agents for spreadsheets' ? ['Steve Hanneke'] : ['Geoffrey Hinton'],
          publishedAt: '2026-09-01T00:00:00Z',
          topics: [{ slug: topic, score: 0.9, primary: true }],
          sightings: [{ sourceId: source, sourceKind: 'hf-daily-papers', upvotes: 1, featuredAt: '2026-09-01T00:00:00Z' }],
        }),
      );
    await refreshPaperSearch(ds, ids);
    // every paper is older than a lag of 0 s: one pass reads them all, the next finds nothing new
    expect(await refreshSearchWords(ds, 10_000, 0)).toBe(4);
    expect(await refreshSearchWords(ds, 10_000, 0)).toBe(0);
  });

  const page = async (q: string, topic?: string) => (await http().get('/').query(topic ? { q, topic } : { q }).expect(200)).text;

  it('counts each paper once per word, title, abstract and author names alike', async () => {
    const rows: { word: string; papers: number }[] = await api.db.ds.query(
      `SELECT word, papers FROM search_words WHERE word IN ('transformer', 'agents', 'hinton', 'spreadsheets') ORDER BY word`,
    );
    expect(rows).toEqual([
      { word: 'agents', papers: 2 },
      { word: 'hinton', papers: 3 },
      { word: 'spreadsheets', papers: 1 },
      { word: 'transformer', papers: 2 },
    ]);
  });

  it('links the corrected search on the page, keeping the topic, and finds its papers there', async () => {
    const html = await page('sparse transfomer');
    expect(html).toContain('No papers match.');
    expect(html).toMatch(/data-testid="did-you-mean">Did you mean <a href="\/\?q=sparse%20transformer">sparse transformer<\/a>\?/);
    const inTopic = await page('agnets', 'agents');
    expect(inTopic).toMatch(/Did you mean <a href="\/\?q=agents&amp;topic=agents">agents<\/a>\?/);
    expect(await page('sparse transformer')).toContain('Sparse transformer kernels');
    expect(await page('Hintn')).toContain('Did you mean <a href="/?q=Hinton">Hinton</a>?');
    // a word of one paper, and the nearest word rather than a more frequent one two edits away
    expect((await http().get('/v1/papers').query({ q: 'Haneke' }).expect(200)).body.didYouMean).toBe('Hanneke');
  });

  it('says the same on /v1/papers, under the same other filters, and nothing when the search matched', async () => {
    const none = await http().get('/v1/papers').query({ q: 'sparse transfomer' }).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null, didYouMean: 'sparse transformer' });
    const inTopic = await http().get('/v1/papers').query({ q: 'transfomer', topic: 'agents' }).expect(200);
    expect(inTopic.body).toEqual({ items: [], nextCursor: null });
    const found = await http().get('/v1/papers').query({ q: 'transformer' }).expect(200);
    expect(found.body.items).toHaveLength(2);
    expect(found.body).not.toHaveProperty('didYouMean');
  });

  it('corrects a first letter typed wrong, dropped or typed before the word, when no word shares the first letters', async () => {
    const suggestion = async (q: string) => (await http().get('/v1/papers').query({ q }).expect(200)).body.didYouMean as string | null;
    expect(await suggestion('ransformer')).toBe('transformer');
    expect(await suggestion('gransformer')).toBe('transformer');
    expect(await suggestion('stransformer')).toBe('transformer');
    expect(await suggestion('sparse gransformer')).toBe('sparse transformer');
    expect(await page('Wgents')).toContain('Did you mean <a href="/?q=Agents">Agents</a>?');
    // a word near one with its own first letter keeps that letter ("spars" is one edit from "sparse")
    expect(await suggestion('spars transformer')).toBe('sparse transformer');
  });

  it('offers the next likeliest words when the likeliest do not occur together', async () => {
    const { ds } = api.db;
    // "space" is used by more papers than "sparse", but never beside "adapters"
    for (const title of ['Latent space planning', 'State space models for audio', 'The space of reward functions', 'Sparse adapters for fine-tuning'])
      await seedPaper(ds, { title, abstract: `${title}, studied.` });
    expect(await refreshSearchWords(ds, 10_000, 0)).toBe(4);
    expect((await http().get('/v1/papers').query({ q: 'sparce adapters' }).expect(200)).body.didYouMean).toBe('sparse adapters');
    expect((await http().get('/v1/papers').query({ q: 'sparce planning' }).expect(200)).body.didYouMean).toBe('space planning');
  });

  it('suggests nothing when the corrected search would match nothing either, or when no word is misspelt', async () => {
    // "transformer" papers are not in the agents topic
    expect(await page('transfomer', 'agents')).not.toContain('did-you-mean');
    expect(await searchSuggestion(api.db.ds, 'transformer spreadsheets')).toBeNull();
    expect(await searchSuggestion(api.db.ds, '-transfomer agents')).toBeNull();
    expect(await searchSuggestion(api.db.ds, 'quantum chromodynamics')).toBeNull();
    expect(await page('transformer')).not.toContain('did-you-mean');
  });

  it('reads a word\'s candidates from bounded ranges of the vocabulary\'s indexes, whatever its size', async () => {
    const { ds } = api.db;
    // 200k words with the asked word's first letter and lengths around its own
    await ds.query(
      `INSERT INTO search_words (word, papers) SELECT 'w' || substr(md5(i::text), 1, 3 + i % 6), 1 + i % 50 FROM generate_series(1, 200000) i ON CONFLICT DO NOTHING`,
    );
    // (vacuumed, as autovacuum keeps it: an index-only scan then reads no heap page)
    await ds.query('VACUUM ANALYZE search_words');
    // What a statement reads: its plan's nodes, the index entries its index scans return, the rows any sort sorts, and
    // its buffers less the heap pages it visits (those depend on the visibility map, which a snapshot held open by
    // another test file keeps VACUUM from setting: the index-only scans then visit the heap, a row at a time).
    interface PlanNode { 'Node Type': string; 'Index Name'?: string; 'Actual Rows': number; 'Actual Loops': number; 'Heap Fetches'?: number; 'Exact Heap Blocks'?: number; 'Shared Hit Blocks': number; 'Shared Read Blocks': number; Plans?: PlanNode[] }
    const readOf = async (sql: string, words: string[]) => {
      const [row] = (await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, [words])) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
      const top = row['QUERY PLAN'][0]!.Plan;
      const nodes: PlanNode[] = [];
      const walk = (n: PlanNode) => {
        nodes.push(n);
        n.Plans?.forEach(walk);
      };
      walk(top);
      const heap = nodes.reduce((a, n) => a + (n['Heap Fetches'] ?? 0) + (n['Exact Heap Blocks'] ?? 0), 0);
      return {
        indexes: new Set(nodes.map((n) => n['Index Name']).filter(Boolean)),
        seqScans: nodes.filter((n) => n['Node Type'] === 'Seq Scan').length,
        indexEntries: nodes.filter((n) => /Index/.test(n['Node Type'])).reduce((a, n) => a + n['Actual Rows'] * n['Actual Loops'], 0),
        largestSort: Math.max(0, ...nodes.filter((n) => n['Node Type'] === 'Sort').map((n) => n['Actual Rows'])),
        rows: top['Actual Rows'],
        buffersBesidesHeap: top['Shared Hit Blocks'] + top['Shared Read Blocks'] - heap,
      };
    };
    const first = await readOf(SPELLING_CANDIDATES_SQL, ['wabcdz', 'wxyzqq']);
    expect(first.indexes).toContain('idx_search_words_initial');
    expect(first.indexes).toContain('idx_search_words_prefix');
    expect(first.seqScans).toBe(0);
    // 2 words x 5 lengths x (at most 500 entries by first letter + 200 by first three): a few thousand index entries
    // and tens of index pages, not the 200k a range of the vocabulary holds; a list by three letters and a length may
    // be sorted (it is short)
    expect(first.rows).toBeLessThanOrEqual(2 * 5 * (500 + 200));
    expect(first.indexEntries).toBeLessThan(2 * 5 * (500 + 1000) + 10);
    expect(first.largestSort).toBeLessThan(1000);
    expect(first.buffersBesidesHeap).toBeLessThan(400);
    expect((await spellingCandidates(ds, ['transfomer'])).get('transfomer')!.map((c) => c.word)).toContain('transformer');
    // the first-letter lists: bounded ranges of the second-letters and prefix indexes too
    const second = await readOf(SPELLING_FIRST_LETTER_SQL, ['qabcdz', 'xbcdef']);
    expect(second.indexes).toContain('idx_search_words_second');
    expect(second.indexes).toContain('idx_search_words_prefix');
    expect(second.seqScans).toBe(0);
    expect(second.rows).toBeLessThanOrEqual(2 * 5 * 200);
    expect(second.indexEntries).toBeLessThan(2 * 5 * 1000 + 10);
    expect(second.largestSort).toBeLessThan(1000);
    expect(second.buffersBesidesHeap).toBeLessThan(400);
  });

  it('gives no suggestion for a search of more words than it checks', async () => {
    const many = Array.from({ length: SPELLING_MAX_WORDS + 1 }, (_, i) => `transfomer${'x'.repeat(i)}`).join(' ');
    expect(await searchSuggestion(api.db.ds, many)).toBeNull();
  });
  it('counts the words of a paper whose transaction was open while the pass ran, however long it stayed open', async () => {
    const { ds } = api.db;
    const words = async () =>
      (await ds.query(`SELECT word, papers FROM search_words WHERE word IN ('quokkaformer', 'wombatnet') ORDER BY word`)) as { word: string; papers: number }[];
    const writer = ds.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      // created_at is the transaction's start: older than the paper committed below, committed after it
      await writer.query(
        `INSERT INTO papers (paper_key, title, abstract, content_hash) VALUES ('title:open writer', 'Quokkaformer', 'A quokkaformer model.', 'h-open-writer')`,
      );
      await new Promise((r) => setTimeout(r, 20));
      await seedPaper(ds, { title: 'Wombatnet', abstract: 'A wombatnet model.' });
      // a lag of 0 s: only the open writer holds the pass back (it used to count the younger paper and move on past
      // the older one, whose words were then never counted)
      expect(await refreshSearchWords(ds, 10_000, 0)).toBe(0);
      await writer.commitTransaction();
    } finally {
      await writer.release();
    }
    expect(await refreshSearchWords(ds, 10_000, 0)).toBe(2);
    expect(await words()).toEqual([
      { word: 'quokkaformer', papers: 1 },
      { word: 'wombatnet', papers: 1 },
    ]);
  });
});
