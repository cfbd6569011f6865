import { expandSearch, searchTsQuerySql, SEARCH_ABBREVIATIONS } from './search-query';
import { SqlParams } from './sql';

describe('expandSearch: abbreviations of the field and their long forms', () => {
  it('finds an abbreviation in any case and number, and the rest of the query as given', () => {
    expect(expandSearch('LLMs for code review')).toEqual({ rest: 'for code review', alternatives: [{ short: 'llm', long: 'large language model' }] });
    expect(expandSearch('offline rl, benchmarks')).toEqual({ rest: 'offline benchmarks', alternatives: [{ short: 'rl', long: 'reinforcement learning' }] });
    // abbreviations that end in s themselves
    expect(expandSearch('TTS').alternatives).toEqual([{ short: 'tts', long: 'text to speech' }]);
    expect(expandSearch('NAS on mobile').alternatives).toEqual([{ short: 'nas', long: 'neural architecture search' }]);
  });

  it('finds a long form spelled out in whole words, hyphens or not, the longest first', () => {
    expect(expandSearch('retrieval-augmented generation for medicine')).toEqual({
      rest: 'for medicine',
      alternatives: [{ short: 'rag', long: 'retrieval augmented generation' }],
    });
    expect(expandSearch('Multimodal Large Language Models hallucination').alternatives.map((a) => a.short)).toEqual(['mllm']);
    expect(expandSearch('mixture of experts routing').alternatives.map((a) => a.short)).toEqual(['moe']);
    // a long form must be whole words: "large language" alone, or a part of a longer word, is not one
    expect(expandSearch('large language').alternatives).toEqual([]);
    expect(expandSearch('llama-based agents').alternatives).toEqual([]);
  });

  it('leaves quoted phrases, negated words and OR alternatives as websearch reads them', () => {
    expect(expandSearch('"LLM" agents')).toEqual({ rest: '"LLM" agents', alternatives: [] });
    expect(expandSearch('agents -llm')).toEqual({ rest: 'agents -llm', alternatives: [] });
    expect(expandSearch('llm or vlm agents')).toEqual({ rest: 'llm or vlm agents', alternatives: [] });
    expect(expandSearch('"large language model" safety').alternatives).toEqual([]);
  });

  it('names each abbreviation once, however often the query names it', () => {
    expect(expandSearch('LLM large language models').alternatives).toEqual([{ short: 'llm', long: 'large language model' }]);
  });

  it('builds the tsquery from parameters only, and plain websearch_to_tsquery without an abbreviation', () => {
    const plain = new SqlParams();
    expect(searchTsQuerySql("diffusion'; DROP TABLE papers; --", plain)).toBe("websearch_to_tsquery('english', $1)");
    expect(plain.values).toEqual(["diffusion'; DROP TABLE papers; --"]);
    const p = new SqlParams();
    const sql = searchTsQuerySql('RAG evaluation', p);
    expect(sql).toBe("websearch_to_tsquery('english', $3) && (phraseto_tsquery('english', $1) || phraseto_tsquery('english', $2))");
    expect(p.values).toEqual(['rag', 'retrieval augmented generation', 'evaluation']);
    // nothing left but the abbreviation: no empty websearch query
    const only = new SqlParams();
    expect(searchTsQuerySql('LLMs', only)).not.toMatch(/websearch/);
  });

  it('holds abbreviations that are one lower-case word and long forms of several', () => {
    for (const [s, l] of SEARCH_ABBREVIATIONS) {
      expect(s).toMatch(/^[a-z0-9]+$/);
      expect(l.split(' ').length).toBeGreaterThan(1);
    }
    expect(new Set(SEARCH_ABBREVIATIONS.map(([s]) => s)).size).toBe(SEARCH_ABBREVIATIONS.length);
  });
});
