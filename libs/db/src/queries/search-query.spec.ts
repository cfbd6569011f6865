import { SEARCH_ABBREVIATIONS, searchAlternatives, searchTsQuerySql } from './search-query';
import { SqlParams } from './sql';

const shorts = (q: string) => searchAlternatives(q).map((a) => a.short);

describe('searchAlternatives: abbreviations of the field a query names', () => {
  it('finds an abbreviation in any case and number', () => {
    expect(searchAlternatives('LLMs for code review')).toEqual([{ short: 'llm', long: 'large language model', spelled: [] }]);
    expect(searchAlternatives('Retrieval-Augmented generation or -large language models')).toEqual([
      { short: 'rag', long: 'retrieval augmented generation', spelled: ['Retrieval-Augmented generation'] },
      { short: 'llm', long: 'large language model', spelled: ['large language models'] },
    ]);
    expect(shorts('offline rl, benchmarks')).toEqual(['rl']);
    // abbreviations that end in s themselves
    expect(shorts('TTS')).toEqual(['tts']);
    expect(shorts('NAS on mobile')).toEqual(['nas']);
  });

  it('finds a long form spelled out in whole words in order, hyphens or not, the longest first', () => {
    expect(shorts('retrieval-augmented generation for medicine')).toEqual(['rag']);
    expect(shorts('Multimodal Large Language Models hallucination')).toEqual(['mllm']);
    expect(shorts('mixture of experts routing')).toEqual(['moe']);
    // a long form must be whole words: "large language" alone, or a part of a longer word, is not one
    expect(shorts('large language')).toEqual([]);
    expect(shorts('llama-based agents')).toEqual([]);
  });

  it('leaves quoted phrases as typed, and reads negated and OR’d words like the others', () => {
    expect(shorts('"LLM" agents')).toEqual([]);
    expect(shorts('"large language model" safety')).toEqual([]);
    expect(shorts('agents -llm')).toEqual(['llm']);
    expect(shorts('llm or rag agents')).toEqual(['llm', 'rag']);
  });

  it('names each abbreviation once, however often the query names it', () => {
    expect(shorts('LLM large language models')).toEqual(['llm']);
  });

  it('builds the tsquery from parameters only, and plain websearch_to_tsquery without an abbreviation', () => {
    const plain = new SqlParams();
    expect(searchTsQuerySql("diffusion'; DROP TABLE papers; --", plain)).toBe("websearch_to_tsquery('english', $1)");
    expect(plain.values).toEqual(["diffusion'; DROP TABLE papers; --"]);
    const p = new SqlParams();
    const sql = searchTsQuerySql('RAG evaluation', p);
    expect(sql).toMatch(/^ts_rewrite\(ts_rewrite\(websearch_to_tsquery\('english', \$1\)/);
    expect(p.values).toEqual(['RAG evaluation', 'rag', 'rags', 'retrieval augmented generation']);
    const spelled = new SqlParams();
    searchTsQuerySql('retrieval-augmented generation', spelled);
    expect(spelled.values).toEqual(['retrieval-augmented generation', 'rag', 'rags', 'retrieval augmented generation', 'retrieval-augmented generation']);
    expect(sql).not.toContain('RAG evaluation');
  });

  it('holds abbreviations that are one lower-case word and long forms of several', () => {
    for (const [s, l] of SEARCH_ABBREVIATIONS) {
      expect(s).toMatch(/^[a-z0-9]+$/);
      expect(l.split(' ').length).toBeGreaterThan(1);
    }
    expect(new Set(SEARCH_ABBREVIATIONS.map(([s]) => s)).size).toBe(SEARCH_ABBREVIATIONS.length);
  });
});
