import { editDistance, spellingVariants, spellingWords, suggestSpelling, type SpellingCandidate } from './search-words';

describe('editDistance: optimal string alignment, bounded', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('transfomer', 'transformer', 2)).toBe(1);
    expect(editDistance('agnet', 'agent', 2)).toBe(1);
    expect(editDistance('difusion', 'diffusion', 2)).toBe(1);
    expect(editDistance('retreival', 'retrieval', 2)).toBe(1);
    expect(editDistance('reinforcment', 'reinforcement', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('same', 'same', 1)).toBe(0);
  });

  it('stops at max + 1 once the words are further apart', () => {
    expect(editDistance('attention', 'retention', 1)).toBe(2);
    expect(editDistance('graph', 'graphical', 2)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});

describe('spellingWords: the words of a search a suggestion may change', () => {
  const words = (q: string) => spellingWords(q).map((w) => w.text);

  it('takes plain and quoted words, with the punctuation around them left out', () => {
    expect(words('transfomer models')).toEqual(['transfomer', 'models']);
    expect(words('"visual agnets", (retreival)')).toEqual(['visual', 'agnets', 'retreival']);
    expect(words('chain-of-thougth prompting')).toEqual(['chain-of-thougth', 'prompting']);
  });

  it('leaves negated words, OR, short words, ids, numbers and words with digits or apostrophes as typed', () => {
    expect(words('-transfomer vision or text')).toEqual(['vision', 'text']);
    expect(words('gpt-4 2401.12345 llama3 the rag model\'s https://arxiv.org/abs/2401.1')).toEqual([]);
    expect(words('vit OR cnn')).toEqual([]);
  });
});

describe('suggestSpelling: each misspelt word replaced by the catalogue word it most likely stands for', () => {
  const vocab = (entries: Record<string, [string, number][]>) =>
    new Map<string, SpellingCandidate[]>(Object.entries(entries).map(([k, v]) => [k, v.map(([word, papers]) => ({ word, papers }))]));

  it('takes the fewest edits, then the most papers, and keeps the rest of the search as typed', () => {
    const c = vocab({
      transfomer: [['transformer', 900], ['transformers', 2000], ['transforms', 50]],
      models: [],
    });
    expect(suggestSpelling('"transfomer" models -rnn', c)).toBe('"transformer" models -rnn');
    const tie = vocab({ modle: [['model', 5000], ['mode', 300], ['modal', 800]] });
    expect(suggestSpelling('modle', tie)).toBe('model');
  });

  it('keeps a capital the word was typed with, and corrects every misspelt word', () => {
    const c = vocab({ difusion: [['diffusion', 400]], polcy: [['policy', 300], ['polya', 2]] });
    expect(suggestSpelling('Difusion polcy', c)).toBe('Diffusion policy');
  });

  it('suggests nothing when no word is near enough: one edit up to 7 letters, two from 8', () => {
    // review 26d: "speech" (a real word no paper used) was "corrected" to "speed", two edits away
    expect(suggestSpelling('speech', vocab({ speech: [['speed', 400]] }))).toBeNull();
    expect(suggestSpelling('reinfrcment', vocab({ reinfrcment: [['reinforcement', 300]] }))).toBe('reinforcement');
    expect(suggestSpelling('haneke', vocab({ haneke: [['handle', 90], ['hanneke', 1]] }))).toBe('hanneke');
    expect(suggestSpelling('grpah', vocab({ grpah: [['graph', 100]] }))).toBe('graph');
    expect(suggestSpelling('gxxph', vocab({ gxxph: [['graph', 100]] }))).toBeNull();
    expect(suggestSpelling('attentoon', vocab({ attentoon: [['attention', 100]] }))).toBe('attention');
    expect(suggestSpelling('quantum', vocab({ quantum: [] }))).toBeNull();
    expect(suggestSpelling('vit or cnn', vocab({}))).toBeNull();
  });
});

describe('spellingVariants: the corrected searches to try, the likeliest first', () => {
  const vocab = (entries: Record<string, [string, number][]>) =>
    new Map<string, SpellingCandidate[]>(Object.entries(entries).map(([k, v]) => [k, v.map(([word, papers]) => ({ word, papers }))]));

  it('offers each misspelt word\'s words at its fewest edits, most frequent first, combined by rank', () => {
    const c = vocab({ sparce: [['space', 900], ['sparse', 500], ['spare', 20], ['sparke', 10], ['sparser', 4000]], adapters: [] });
    // four words one edit away, three kept; "sparser" is two edits away
    expect(spellingVariants('sparce adapters', c)).toEqual(['space adapters', 'sparse adapters', 'spare adapters']);
    const two = vocab({ sparce: [['space', 900], ['sparse', 500]], adaptrs: [['adapters', 300], ['adaptors', 200]] });
    expect(spellingVariants('Sparce adaptrs', two)).toEqual(['Space adapters', 'Space adaptors', 'Sparse adapters', 'Sparse adaptors']);
    expect(spellingVariants('Sparce adaptrs', two, 2)).toEqual(['Space adapters', 'Space adaptors']);
  });

  it('keeps only the fewest edits: a word two edits away is no alternative to one a single edit away', () => {
    const c = vocab({ reinfrcment: [['reinforcement', 300], ['reinforcements', 900]] });
    expect(spellingVariants('reinfrcment', c)).toEqual(['reinforcement']);
    expect(spellingVariants('quantum', vocab({ quantum: [] }))).toEqual([]);
  });
});
