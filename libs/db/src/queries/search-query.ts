import type { SqlParams } from './sql';

/**
 * Abbreviations of the field and the words they stand for: a search for either finds papers that write the other
 * ("LLM" finds "large language models", "retrieval-augmented generation" finds "RAG"). Only abbreviations with one
 * reading in ML papers are here ("MAE" is a masked autoencoder and a mean absolute error, "MT" machine translation
 * and a mean teacher: left out). Long forms are matched as phrases by Postgres ('english': plurals and hyphens
 * alike), abbreviations as words ("LLMs" is 'llm').
 */
export const SEARCH_ABBREVIATIONS: readonly (readonly [short: string, long: string])[] = [
  ['llm', 'large language model'],
  ['mllm', 'multimodal large language model'],
  ['vlm', 'vision language model'],
  ['vla', 'vision language action'],
  ['lvlm', 'large vision language model'],
  ['rag', 'retrieval augmented generation'],
  ['rl', 'reinforcement learning'],
  ['rlhf', 'reinforcement learning from human feedback'],
  ['rlvr', 'reinforcement learning with verifiable rewards'],
  ['marl', 'multi agent reinforcement learning'],
  ['dpo', 'direct preference optimization'],
  ['ppo', 'proximal policy optimization'],
  ['grpo', 'group relative policy optimization'],
  ['sft', 'supervised fine tuning'],
  ['peft', 'parameter efficient fine tuning'],
  ['lora', 'low rank adaptation'],
  ['cot', 'chain of thought'],
  ['icl', 'in context learning'],
  ['moe', 'mixture of experts'],
  ['ssm', 'state space model'],
  ['gnn', 'graph neural network'],
  ['gcn', 'graph convolutional network'],
  ['cnn', 'convolutional neural network'],
  ['rnn', 'recurrent neural network'],
  ['lstm', 'long short term memory'],
  ['vit', 'vision transformer'],
  ['gan', 'generative adversarial network'],
  ['vae', 'variational autoencoder'],
  ['nerf', 'neural radiance field'],
  ['3dgs', '3d gaussian splatting'],
  ['slam', 'simultaneous localization and mapping'],
  ['ocr', 'optical character recognition'],
  ['asr', 'automatic speech recognition'],
  ['tts', 'text to speech'],
  ['nlp', 'natural language processing'],
  ['nli', 'natural language inference'],
  ['ner', 'named entity recognition'],
  ['vqa', 'visual question answering'],
  ['kg', 'knowledge graph'],
  ['mcts', 'monte carlo tree search'],
  ['nas', 'neural architecture search'],
  ['t2i', 'text to image'],
  ['t2v', 'text to video'],
];

/** An abbreviation and its long form, either of which a paper may write. */
export interface SearchAlternative {
  short: string;
  long: string;
  /** the long form as the query wrote it, each time it did ("retrieval-augmented generation") */
  spelled: string[];
}


interface Token {
  /** the text as given (a quoted phrase with its quotes) */
  text: string;
  /** its words, lowercased (a hyphenated word is several); none inside quotes, which are searched as typed */
  words: string[];
}

/** A word as the abbreviation table is matched: lower case, a plural 's' dropped ("LLMs", "models"). */
const base = (w: string): string => {
  const l = w.toLowerCase();
  return l.length > 2 && l.endsWith('s') && !l.endsWith('ss') ? l.slice(0, -1) : l;
};

const SHORT = new Map(SEARCH_ABBREVIATIONS.map(([s, l]) => [s, { short: s, long: l }]));
/** Long forms as word lists, longest first: "multimodal large language model" is tried before "large language model". */
const LONG = SEARCH_ABBREVIATIONS.map(([s, l]) => ({ short: s, long: l, words: l.split(' ').map(base) })).sort(
  (a, b) => b.words.length - a.words.length,
);

/**
 * websearch_to_tsquery's tokens: a quoted phrase is searched as typed (no words); a negated word ("-llm") and the
 * words around an `or` are words like the others (the rewrite keeps their negation and alternation); every word is
 * split at hyphens and stripped of surrounding punctuation.
 */
function tokens(q: string): Token[] {
  const out: Token[] = [];
  const re = /"[^"]*"?|[^\s"]+/g;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    const text = m[0];
    const words =
      text.startsWith('"') || text.toLowerCase() === 'or'
        ? []
        : text
            .replace(/^-+/, '')
            .split('-')
            .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
            .filter((w) => w.length > 0);
    out.push({ text, words });
  }
  return out;
}

/**
 * The abbreviations a query names outside quotes, as an abbreviation ("LLMs") or as its long form spelled out in whole
 * words in order ("large language models", "retrieval-augmented generation"), each once.
 */
export function searchAlternatives(q: string): SearchAlternative[] {
  const toks = tokens(q);
  const alternatives: SearchAlternative[] = [];
  const add = (a: { short: string; long: string }, spelled?: string) => {
    let known = alternatives.find((x) => x.short === a.short);
    if (!known) alternatives.push((known = { short: a.short, long: a.long, spelled: [] }));
    if (spelled !== undefined && !known.spelled.includes(spelled)) known.spelled.push(spelled);
  };
  for (let i = 0; i < toks.length; i++) {
    if (toks[i].words.length === 0) continue;
    const only = toks[i].words.length === 1 ? toks[i].words[0].toLowerCase() : undefined;
    // "TTS" and "NAS" end in s themselves; "LLMs" is a plural
    const short = only ? (SHORT.get(only) ?? SHORT.get(base(only))) : undefined;
    if (short) {
      add(short);
      continue;
    }
    // a long form: whole tokens from i on whose words are the long form's
    for (const l of LONG) {
      const words: string[] = [];
      let j = i;
      while (j < toks.length && toks[j].words.length > 0 && words.length < l.words.length) words.push(...toks[j++].words);
      if (words.length === l.words.length && words.every((w, k) => base(w) === l.words[k])) {
        add(l, toks.slice(i, j).map((t) => t.text.replace(/^-+/, '')).join(' '));
        i = j - 1;
        break;
      }
    }
  }
  return alternatives;
}

/**
 * The tsquery of a search, as SQL over `params`: websearch_to_tsquery('english', q), where every abbreviation of
 * SEARCH_ABBREVIATIONS the query names outside quotes is rewritten (ts_rewrite, inside the parsed query) to "the
 * abbreviation, its plural, or its long form as a phrase", and its long form's words as the query wrote them to "those
 * words, or the abbreviation": a negated or OR'd abbreviation keeps its negation or alternation ("-LLM" leaves out the papers that
 * spell it out too; "LLM or RAG" finds either in any spelling), and a rewrite only ever widens what a word finds.
 * Postgres' English stemmer keeps "llms" apart from "llm", so the plural is named. Parameterised: nothing of the
 * query is spliced into the SQL.
 */
export function searchTsQuerySql(q: string, params: SqlParams): string {
  let sql = `websearch_to_tsquery('english', ${params.add(q)})`;
  for (const a of searchAlternatives(q)) {
    const short = params.add(a.short);
    const plural = params.add(`${a.short}s`);
    const long = params.add(a.long);
    const anyShort = `(plainto_tsquery('english', ${short}) || plainto_tsquery('english', ${plural}))`;
    const spelled = `${anyShort} || phraseto_tsquery('english', ${long})`;
    sql = `ts_rewrite(${sql}, plainto_tsquery('english', ${short}), ${spelled})`;
    sql = `ts_rewrite(${sql}, plainto_tsquery('english', ${plural}), ${spelled})`;
    // the long form's words as the query parsed them ("retrieval-augmented" is a phrase of its parts): that subtree,
    // or the abbreviation
    for (const written of a.spelled) {
      const w = `websearch_to_tsquery('english', ${params.add(written)})`;
      sql = `ts_rewrite(${sql}, ${w}, ${w} || ${anyShort})`;
    }
  }
  return sql;
}
