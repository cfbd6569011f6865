import { refreshPaperSearch } from '@paperwire/db';
import { seedPaper, seedSource } from '@paperwire/testing';
import { useTestApi } from './testing/use-test-api';

// A search for an abbreviation of the field finds the papers that spell it out, and the other way round, on every
// surface that searches (/v1/papers, a day's listing, the page, the HF search, the search feed); quotes keep a word
// as typed.
describe('searching by an abbreviation or its long form finds both spellings', () => {
  const api = useTestApi('t_search_abbrev', async () => undefined);
  const http = () => api.http();
  const ids: Record<string, string> = {};
  const papers = {
    spelled: ['Large language models as graders of student essays', 'We ask large language models to grade essays and compare them with teachers.'],
    short: ['Calibrating LLM graders', 'LLMs grade essays; we calibrate their scores against teachers on three datasets.'],
    plural: ['Where LLMs disagree with teachers', 'Graders built on LLMs drift from the rubric on long essays.'],
    rag: ['Retrieval-augmented generation for statutes', 'A retrieval-augmented generation pipeline answers questions about statutes.'],
    ragShort: ['Citations in RAG answers', 'RAG systems cite passages; we measure how often the cited passage supports the answer.'],
    other: ['Graph partitioning at scale', 'We partition graphs with billions of edges on one machine.'],
  } as const;

  beforeAll(async () => {
    const { ds } = api.db;
    const source = await seedSource(ds, 'hf-abbrev', 'hf-daily-papers');
    for (const [k, [title, abstract]] of Object.entries(papers)) {
      ids[k] = await seedPaper(ds, {
        title,
        abstract,
        publishedAt: '2026-09-01T00:00:00Z',
        sightings: [{ sourceId: source, sourceKind: 'hf-daily-papers', upvotes: 1, featuredAt: '2026-09-01T00:00:00Z' }],
      });
    }
    await refreshPaperSearch(ds, Object.values(ids));
  });

  const found = async (path: string, q: string): Promise<string[]> => {
    const res = await http().get(path).query({ q }).expect(200);
    const items: { id?: string; paperwire?: { id: string } }[] = Array.isArray(res.body) ? res.body : res.body.items;
    return items.map((i) => i.id ?? i.paperwire!.id).sort();
  };
  const of = (...keys: (keyof typeof papers)[]) => keys.map((k) => ids[k]).sort();

  it('/v1/papers: the abbreviation finds the long form, its plural and the long form the abbreviation, with the rest of the query kept', async () => {
    // (Postgres' English stemmer keeps "llms" apart from "llm": the plural-only paper is found by its own lexeme)
    expect(await found('/v1/papers', 'LLM')).toEqual(of('spelled', 'short', 'plural'));
    expect(await found('/v1/papers', 'LLMs')).toEqual(of('spelled', 'short', 'plural'));
    expect(await found('/v1/papers', 'large language models')).toEqual(of('spelled', 'short', 'plural'));
    expect(await found('/v1/papers', 'LLM teachers essays')).toEqual(of('spelled', 'short', 'plural'));
    expect(await found('/v1/papers', 'LLM calibrate')).toEqual(of('short'));
    expect(await found('/v1/papers', 'RAG')).toEqual(of('rag', 'ragShort'));
    expect(await found('/v1/papers', 'retrieval augmented generation')).toEqual(of('rag', 'ragShort'));
  });

  it('keeps a quoted word as typed; a negated abbreviation leaves out every spelling, an OR adds every spelling', async () => {
    expect(await found('/v1/papers', '"LLM"')).toEqual(of('short'));
    expect(await found('/v1/papers', 'essays -llm')).toEqual([]);
    expect(await found('/v1/papers', 'statutes -RAG')).toEqual([]);
    expect(await found('/v1/papers', 'essays -"LLM"')).toEqual(of('spelled', 'plural'));
    expect(await found('/v1/papers', 'LLM or RAG')).toEqual(of('spelled', 'short', 'plural', 'rag', 'ragShort'));
    expect(await found('/v1/papers', 'partition or retrieval-augmented generation')).toEqual(of('rag', 'ragShort', 'other'));
  });

  it('a day’s listing, the HF search and the page search the same way', async () => {
    const day = await http().get('/v1/daily').query({ date: '2026-09-01', q: 'LLM' }).expect(200);
    expect(day.body.items.map((i: { id: string }) => i.id).sort()).toEqual(of('spelled', 'short', 'plural'));
    expect(await found('/api/papers/search', 'retrieval-augmented generation')).toEqual(of('rag', 'ragShort'));
    const page = (await http().get('/').query({ q: 'LLM' }).expect(200)).text;
    expect(page).toContain(papers.spelled[0]);
    expect(page).toContain(papers.short[0]);
    expect(page).not.toContain(papers.rag[0]);
    const atom = (await http().get('/v1/feeds/search.atom').query({ q: 'RAG' }).expect(200)).text;
    expect(atom).toContain(papers.rag[0]);
    expect(atom).toContain(papers.ragShort[0]);
  });
});
