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
}

/** A query split into what websearch_to_tsquery reads as given (`rest`) and the abbreviations it named. */
export interface ExpandedSearch {
  rest: string;
  alternatives: SearchAlternative[];
}

interface Token {
  /** the text as given (a quoted phrase with its quotes) */
  text: string;
  /** its words, lowercased (a hyphenated word is several); none for a token that is never expanded */
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
 * websearch_to_tsquery's tokens: a quoted phrase, a negated word ("-x") and the words next to an `or` keep their
 * meaning and are never expanded; every other word is split at hyphens and stripped of surrounding punctuation.
 */
function tokens(q: string): Token[] {
  const out: Token[] = [];
  const re = /"[^"]*"?|[^\s"]+/g;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    const text = m[0];
    const plain = !text.startsWith('"') && !text.startsWith('-');
    const words = plain
      ? text
          .split('-')
          .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
          .filter((w) => w.length > 0)
      : [];
    out.push({ text, words });
  }
  // `a or b`: both sides belong to the OR
  out.forEach((t, i) => {
    if (t.text.toLowerCase() !== 'or') return;
    t.words = [];
    if (out[i - 1]) out[i - 1].words = [];
    if (out[i + 1]) out[i + 1].words = [];
  });
  return out;
}

/**
 * Finds the abbreviations a query names, as an abbreviation or as its long form spelled out in whole words, and
 * returns the rest of the query as given. Words inside quotes, negated or joined by `or` are left as they are.
 */
export function expandSearch(q: string): ExpandedSearch {
  const toks = tokens(q);
  const used = new Array<boolean>(toks.length).fill(false);
  const alternatives: SearchAlternative[] = [];
  const add = (a: SearchAlternative) => {
    if (!alternatives.some((x) => x.short === a.short)) alternatives.push(a);
  };
  for (let i = 0; i < toks.length; i++) {
    if (used[i] || toks[i].words.length === 0) continue;
    const only = toks[i].words.length === 1 ? toks[i].words[0].toLowerCase() : undefined;
    // "TTS" and "NAS" end in s themselves; "LLMs" is a plural
    const short = only ? (SHORT.get(only) ?? SHORT.get(base(only))) : undefined;
    if (short) {
      used[i] = true;
      add(short);
      continue;
    }
    // a long form: whole tokens from i on whose words are the long form's
    for (const l of LONG) {
      const words: string[] = [];
      let j = i;
      while (j < toks.length && !used[j] && toks[j].words.length > 0 && words.length < l.words.length) words.push(...toks[j++].words);
      if (words.length === l.words.length && words.every((w, k) => base(w) === l.words[k])) {
        for (let k = i; k < j; k++) used[k] = true;
        add({ short: l.short, long: l.long });
        break;
      }
    }
  }
  return { rest: toks.filter((_, i) => !used[i]).map((t) => t.text).join(' '), alternatives };
}

/**
 * The tsquery of a search, as SQL over `params`: websearch_to_tsquery('english', q) where the query names no
 * abbreviation of SEARCH_ABBREVIATIONS, else the rest of it AND, for each abbreviation, the abbreviation OR its long
 * form as a phrase. Parameterised: nothing of the query is spliced into the SQL.
 */
export function searchTsQuerySql(q: string, params: SqlParams): string {
  const { rest, alternatives } = expandSearch(q);
  if (alternatives.length === 0) return `websearch_to_tsquery('english', ${params.add(q)})`;
  const parts = alternatives.map(
    (a) => `(phraseto_tsquery('english', ${params.add(a.short)}) || phraseto_tsquery('english', ${params.add(a.long)}))`,
  );
  // a rest of stop words or punctuation only is no query (websearch_to_tsquery would say so in a notice)
  if (/[\p{L}\p{N}]/u.test(rest)) parts.unshift(`websearch_to_tsquery('english', ${params.add(rest)})`);
  return parts.join(' && ');
}
