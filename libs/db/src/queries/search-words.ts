import type { DataSource, EntityManager } from 'typeorm';
import { authorNamesOf } from '../entities/paper.entity';
import type { PaperSqlFilters } from './paper-filters';
import { countPaperRows } from './paper-reads';

type Db = DataSource | EntityManager;

/** Papers whose words one sweep counts at most: a backlog (a new vocabulary on a large catalogue) is read over sweeps. */
export const SEARCH_WORDS_BATCH = 10_000;
/**
 * Papers younger than this are left to the next sweep: a paper's created_at is its transaction's start, so one committed
 * a little after a younger one would fall behind the position the pass keeps, and its words would never be counted.
 * The pass also stops short of the start of every transaction still open that has written to papers (PAPERS_WRITERS_START),
 * however long it has been open; this lag covers one that has not written yet.
 */
export const SEARCH_WORDS_LAG_SECONDS = 30;

/**
 * The start of the oldest other transaction still open that holds a write lock on this schema's papers table (an insert,
 * update or delete took it; it is held to the transaction's end), or null when none is: a paper such a transaction
 * inserts gets that start as its created_at when it commits, so a pass must not move its position past it (a parser
 * transaction open over SEARCH_WORDS_LAG_SECONDS used to commit papers behind the position, never counted). A writer
 * whose start this role may not read (another role's session, without pg_read_all_stats) counts as started at
 * -infinity: the pass waits for it. Read from the lock table, not by schema name: `'papers'::regclass` is the papers
 * table the pass itself reads.
 */
const PAPERS_WRITERS_START = `(SELECT min(coalesce(a.xact_start, '-infinity'::timestamptz))
           FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'relation' AND l.relation = 'papers'::regclass AND l.mode = 'RowExclusiveLock'
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND l.pid <> pg_backend_pid())`;
/** A word the vocabulary keeps: lower-case Latin letters, hyphens inside (chain-of-thought), 3 to 40 characters. */
const WORD_RE = `^[a-z][a-z-]{1,38}[a-z]$`;

/** Each word of the papers of CTE `batch` (id, title, abstract, names) with the number of them it occurs in. */
const WORDS_OF_BATCH = `
         SELECT w AS word, count(*)::int AS papers
           FROM batch b
          CROSS JOIN LATERAL unnest(tsvector_to_array(
                  to_tsvector('simple', coalesce(b.title, '') || ' ' || coalesce(b.abstract, '')) || to_tsvector('simple', b.names))) w
          WHERE w ~ '${WORD_RE}'
          GROUP BY w`;

/** The lock of the vocabulary's upkeep: one pass (or removal) at a time. */
const SEARCH_WORDS_LOCK = `hashtext('pw_search_words')`;

/**
 * Takes back the words of papers about to be deleted (in `m`'s transaction, before the delete) that a pass has
 * counted (those up to the position it keeps), so a removed paper's words stop being offered as spellings; a word no
 * paper has any more goes. Waits for a pass in progress (its lock), and holds it to the end of the transaction.
 * Counted as the papers are now (a pass counted them as first seen: a word a later version dropped stays counted, as
 * it does when the paper stays). Returns the words that went.
 */
export async function uncountSearchWords(m: EntityManager, ids: readonly string[]): Promise<number> {
  await m.query(`SELECT pg_advisory_xact_lock(${SEARCH_WORDS_LOCK})`);
  const changed: { word: string }[] = await m.query(
    `WITH pos AS (SELECT through_at, through_id FROM search_words_state),
     batch AS MATERIALIZED (
       SELECT p.id, p.title, p.abstract, ${authorNamesOf('p')} AS names
         FROM papers p, pos
        WHERE p.id = ANY($1::uuid[]) AND (p.created_at, p.id) <= (pos.through_at, pos.through_id)),
     counted AS (${WORDS_OF_BATCH}),
     changed AS (UPDATE search_words s SET papers = s.papers - c.papers FROM counted c WHERE s.word = c.word RETURNING s.word, s.papers)
     SELECT word FROM changed WHERE papers <= 0`,
    [ids],
  );
  if (changed.length === 0) return 0;
  const [{ n }]: { n: number }[] = await m.query(
    `WITH gone AS (DELETE FROM search_words WHERE word = ANY($1::text[]) AND papers <= 0 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    [changed.map((r) => r.word)],
  );
  return n;
}

/**
 * Counts the words of the next papers created since the last pass (at most `batch`, by created_at then id, from where
 * `search_words_state` says the previous pass stopped) into `search_words`: one statement reading the batch by
 * idx_papers_created, each paper's distinct words of its title, abstract and author names (the `simple` parser: lower
 * case, unstemmed), added to their counts in word order, and the position moved on. Its cost is that of the papers read,
 * never of the catalogue. The counts are those of the papers as first seen (a later change of title or abstract is not
 * counted again): they rank spelling suggestions, where that difference is lost. Returns the papers read.
 */
export async function refreshSearchWords(ds: DataSource, batch = SEARCH_WORDS_BATCH, lagSeconds = SEARCH_WORDS_LAG_SECONDS): Promise<number> {
  return ds.transaction(async (m) => {
    // one pass at a time (two sweepers would count a batch twice)
    const locked: { ok: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock(${SEARCH_WORDS_LOCK}) AS ok`);
    if (!locked[0]?.ok) return 0;
    const rows: { papers: number }[] = await m.query(
      `WITH pos AS (SELECT through_at, through_id FROM search_words_state),
       batch AS MATERIALIZED (
         SELECT p.id, p.created_at, p.title, p.abstract, ${authorNamesOf('p')} AS names
           FROM papers p, pos
          -- the bound on created_at alone is what idx_papers_created can start from (the row comparison alone walked
          -- the index from the first paper: 10k buffers at 300k papers, 91 with it)
          WHERE p.created_at >= (SELECT through_at FROM search_words_state)
            AND (p.created_at, p.id) > (pos.through_at, pos.through_id)
            AND p.created_at < least(now() - make_interval(secs => $2), ${PAPERS_WRITERS_START})
          ORDER BY p.created_at, p.id
          LIMIT $1),
       counted AS (${WORDS_OF_BATCH}),
       up AS (
         INSERT INTO search_words (word, papers) SELECT word, papers FROM counted ORDER BY word
         ON CONFLICT (word) DO UPDATE SET papers = search_words.papers + EXCLUDED.papers
         RETURNING 1),
       moved AS (
         UPDATE search_words_state s SET through_at = l.created_at, through_id = l.id, updated_at = now()
           FROM (SELECT created_at, id FROM batch ORDER BY created_at DESC, id DESC LIMIT 1) l
         RETURNING 1)
       SELECT (SELECT count(*) FROM batch)::int AS papers, (SELECT count(*) FROM up)::int AS words, (SELECT count(*) FROM moved)::int AS moved`,
      [Math.trunc(batch), lagSeconds],
    );
    return rows[0]?.papers ?? 0;
  });
}

/** A catalogue word a misspelt word may stand for, with the number of papers it occurs in. */
export interface SpellingCandidate {
  word: string;
  papers: number;
}

/** Candidates read per asked word at most, the most frequent first. */
const CANDIDATES_PER_LENGTH = 500;
/** Candidates per length sharing the word's first three letters, any paper count (the rare words the lists above miss). */
const CANDIDATES_BY_PREFIX = 200;
/** A search with more words than this gets no suggestion (each checked word costs its own index reads). */
export const SPELLING_MAX_WORDS = 6;

/**
 * The statement behind spellingCandidates: for each asked word not in the vocabulary, (a) for each length within two of
 * its own, the CANDIDATES_PER_LENGTH most frequent words with its first letter and that length and at least two papers
 * — an index range of idx_search_words_initial read in its order and stopped at the limit — and (b) per length, the
 * CANDIDATES_BY_PREFIX most frequent words with its first three letters, whatever their count (a surname one paper
 * has: such a list holds nearly every word of its length; idx_search_words_prefix). A word costs at most
 * 5 × (CANDIDATES_PER_LENGTH + CANDIDATES_BY_PREFIX) index entries whatever the vocabulary's size.
 */
/** The `limit` most frequent words of one length (`l.len`) sharing the asked word's first `prefix` letters, by index. */
const mostFrequent = (prefix: number, limit: number, minPapers = 1): string =>
  `(SELECT s.word, s.papers FROM search_words s
     WHERE left(s.word, ${prefix}) = left(q.word, ${prefix}) AND length(s.word) = l.len${minPapers > 1 ? ` AND s.papers >= ${minPapers}` : ''}
     ORDER BY s.papers DESC
     LIMIT ${limit})`;

export const SPELLING_CANDIDATES_SQL = `SELECT q.word AS asked, c.word, c.papers
   FROM unnest($1::text[]) AS q(word)
  CROSS JOIN LATERAL generate_series(length(q.word) - 2, length(q.word) + 2) AS l(len)
  CROSS JOIN LATERAL (${mostFrequent(1, CANDIDATES_PER_LENGTH, 2)} UNION ALL ${mostFrequent(3, CANDIDATES_BY_PREFIX)}) c
  WHERE NOT EXISTS (SELECT 1 FROM search_words k WHERE k.word = q.word)`;

/** Candidates per list for a word whose first letter may be the typo (SPELLING_FIRST_LETTER_SQL). */
const CANDIDATES_FIRST_LETTER = 200;

/**
 * The statement behind firstLetterCandidates: for each asked word not in the vocabulary, the CANDIDATES_FIRST_LETTER
 * most frequent words (any count) that share its letters after the first — (a) its first letter changed: the same
 * second to fourth letters, its length or one more or less (a second typo further on in a long word); (b) its first
 * letter dropped: second to fourth letters equal to its first three, one letter longer (idx_search_words_second, both);
 * (c) a letter typed before it: first three letters equal to its second to fourth, one shorter (idx_search_words_prefix).
 * At most 5 lists of an index range each, read in the index's order and stopped at the limit.
 */
export const SPELLING_FIRST_LETTER_SQL = `SELECT q.word AS asked, c.word, c.papers
   FROM unnest($1::text[]) AS q(word)
  CROSS JOIN LATERAL (
    (SELECT c1.word, c1.papers FROM generate_series(length(q.word) - 1, length(q.word) + 1) l(len)
      CROSS JOIN LATERAL (SELECT s.word, s.papers FROM search_words s
        WHERE substr(s.word, 2, 3) = substr(q.word, 2, 3) AND length(s.word) = l.len ORDER BY s.papers DESC LIMIT ${CANDIDATES_FIRST_LETTER}) c1)
    UNION ALL
    (SELECT s.word, s.papers FROM search_words s
      WHERE substr(s.word, 2, 3) = left(q.word, 3) AND length(s.word) = length(q.word) + 1 ORDER BY s.papers DESC LIMIT ${CANDIDATES_FIRST_LETTER})
    UNION ALL
    (SELECT s.word, s.papers FROM search_words s
      WHERE left(s.word, 3) = substr(q.word, 2, 3) AND length(s.word) = length(q.word) - 1 ORDER BY s.papers DESC LIMIT ${CANDIDATES_FIRST_LETTER})) c
  WHERE NOT EXISTS (SELECT 1 FROM search_words k WHERE k.word = q.word)`;

/**
 * The catalogue's words that each of `words` (lower case) may stand for with its first letter mistyped
 * (SPELLING_FIRST_LETTER_SQL), for the words spellingCandidates left with no candidate near enough.
 */
export function firstLetterCandidates(db: Db, words: readonly string[]): Promise<Map<string, SpellingCandidate[]>> {
  return candidatesOf(db, SPELLING_FIRST_LETTER_SQL, words);
}

/**
 * The catalogue's words that a misspelling of each of `words` (lower case) may stand for (SPELLING_CANDIDATES_SQL): per
 * length within two of its own, the most frequent words with its first letter and those with its first three. A word the catalogue has is asked about by
 * nobody: it maps to an empty list. The caller measures the distance (suggestSpelling).
 */
export function spellingCandidates(db: Db, words: readonly string[]): Promise<Map<string, SpellingCandidate[]>> {
  return candidatesOf(db, SPELLING_CANDIDATES_SQL, words);
}

/** Each distinct asked word's candidates as `sql` ($1: the words) lists them, an empty list for a word it lists none for. */
async function candidatesOf(db: Db, sql: string, words: readonly string[]): Promise<Map<string, SpellingCandidate[]>> {
  const asked = [...new Set(words)];
  const out = new Map<string, SpellingCandidate[]>(asked.map((w) => [w, []]));
  if (asked.length === 0) return out;
  const rows: { asked: string; word: string; papers: number }[] = await db.query(sql, [asked]);
  for (const r of rows) out.get(r.asked)!.push({ word: r.word, papers: r.papers });
  return out;
}

/** A word of a search the vocabulary can check: its place in the query and its lower-case text. */
interface QueryWord {
  start: number;
  text: string;
  lower: string;
}

/**
 * The words of a search (websearch syntax) a spelling suggestion may change: Latin words of 4 to 40 letters (hyphens
 * inside), not negated ("-llm" is left as typed), not the OR operator, not part of an id, a number or a word with an
 * apostrophe. Words inside quotes are checked too (a quoted misspelling matches nothing either).
 */
export function spellingWords(q: string): QueryWord[] {
  const out: QueryWord[] = [];
  for (const m of q.matchAll(/\S+/g)) {
    // a word and the quotes and punctuation around it ("transfomer," or the first word of a quoted phrase)
    const lead = /^["'“‘(]*/.exec(m[0])![0].length;
    const core = m[0].slice(lead).replace(/["'”’),.;:!?]+$/, '');
    if (!/^[A-Za-z](?:[A-Za-z-]*[A-Za-z])?$/.test(core)) continue;
    const lower = core.toLowerCase();
    if (lower.length < 4 || lower.length > 40 || lower === 'or') continue;
    out.push({ start: (m.index ?? 0) + lead, text: core, lower });
  }
  return out;
}

/** Optimal string alignment distance (a swap of two neighbours is one edit), or `max + 1` once it is known to exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, max + 1);
}

/**
 * Edits a word of this length may be from the word it stands for: one up to 7 letters, two from 8 (two edits of a short
 * word reach real words it is not a typo of: "speech" is two from "speed").
 */
const maxEdits = (length: number): number => (length <= 7 ? 1 : 2);

/** Alternatives kept per misspelt word: the words at its fewest edits, the most frequent first. */
const ALTERNATIVES_PER_WORD = 3;
/**
 * Corrected searches probed at most, the likeliest first, until one matches a paper (each probe is a countPaperRows to
 * its first match, after searchMatchIds has read the variant's matches to SEARCH_FEW_MATCHES + 1 at most).
 */
export const SPELLING_MAX_VARIANTS = 4;

/**
 * The searches a misspelt `q` may stand for, the likeliest first (at most `max`): each misspelt word replaced by one of
 * the catalogue words at its fewest edits (the most frequent first; its capital kept when the word was typed with one),
 * the combinations ordered by the sum of their words' ranks. Empty when no word changed. `candidates` is
 * spellingCandidates' answer for spellingWords(q).
 */
export function spellingVariants(q: string, candidates: ReadonlyMap<string, readonly SpellingCandidate[]>, max = SPELLING_MAX_VARIANTS): string[] {
  const slots: { start: number; end: number; words: string[] }[] = [];
  for (const w of spellingWords(q)) {
    const limit = maxEdits(w.lower.length);
    const near: { word: string; edits: number; papers: number }[] = [];
    let known = false;
    for (const c of candidates.get(w.lower) ?? []) {
      if (c.word === w.lower) {
        known = true;
        break;
      }
      const edits = editDistance(w.lower, c.word, limit);
      if (edits <= limit && !near.some((n) => n.word === c.word)) near.push({ word: c.word, edits, papers: c.papers });
    }
    if (known || near.length === 0) continue;
    const fewest = Math.min(...near.map((n) => n.edits));
    const best = near
      .filter((n) => n.edits === fewest)
      .sort((a, b) => b.papers - a.papers || (a.word < b.word ? -1 : 1))
      .slice(0, ALTERNATIVES_PER_WORD)
      .map((n) => (/^[A-Z][a-z]/.test(w.text) ? n.word[0]!.toUpperCase() + n.word.slice(1) : n.word));
    slots.push({ start: w.start, end: w.start + w.text.length, words: best });
  }
  if (slots.length === 0) return [];
  // every combination of the slots' ranks, by their sum (on a tie, the first words' likelier ranks first): at most 3^6
  let combos: number[][] = [[]];
  for (const slot of slots) combos = combos.flatMap((c) => slot.words.map((_, i) => [...c, i]));
  const sum = (c: number[]) => c.reduce((a, b) => a + b, 0);
  combos.sort((a, b) => sum(a) - sum(b) || a.join(',').localeCompare(b.join(',')));
  return combos.slice(0, max).map((c) => {
    let out = '';
    let at = 0;
    slots.forEach((slot, i) => {
      out += q.slice(at, slot.start) + slot.words[c[i]!]!;
      at = slot.end;
    });
    return out + q.slice(at);
  });
}

/**
 * The search with each misspelt word replaced by the catalogue word it most likely stands for (fewest edits, then the
 * most papers; its capital kept when the word was typed with one), or null when no word changed: spellingVariants' first.
 */
export function suggestSpelling(q: string, candidates: ReadonlyMap<string, readonly SpellingCandidate[]>): string | null {
  return spellingVariants(q, candidates, 1)[0] ?? null;
}

/**
 * What a search that matched nothing may have meant: the likeliest search with its misspelt words replaced
 * (spellingVariants) that matches a paper under the same filters (its topic), else null. At most SPELLING_MAX_WORDS words are
 * checked (a longer search gets no suggestion), each five bounded ranges of the vocabulary's index (five more, by the
 * letters after its first, for a word those leave with nothing near: firstLetterCandidates), and, when a word changed, up to
 * SPELLING_MAX_VARIANTS probes, each reading a variant's matches to SEARCH_FEW_MATCHES + 1 at most (searchMatchIds) and
 * counting to its first match under the filters: its cost is bounded by the words, never by the vocabulary's or the
 * catalogue's size.
 */
export async function searchSuggestion(db: Db, q: string, filters: Omit<PaperSqlFilters, 'q' | 'qIds'> = {}): Promise<string | null> {
  const words = spellingWords(q);
  if (words.length === 0 || words.length > SPELLING_MAX_WORDS) return null;
  const candidates = await spellingCandidates(db, words.map((w) => w.lower));
  // a word the lists by its first letters leave with nothing near enough: its first letter may be the typo
  const unmatched = [...candidates].filter(([w, list]) => !list.some((c) => editDistance(w, c.word, maxEdits(w.length)) <= maxEdits(w.length))).map(([w]) => w);
  if (unmatched.length > 0)
    for (const [w, list] of await firstLetterCandidates(db, unmatched)) candidates.get(w)!.push(...list);
  // the likeliest corrected search that matches a paper under the same filters: when the likeliest words do not occur
  // together, the next likeliest (probes only while none matched; each reads at most SEARCH_FEW_MATCHES + 1 matches)
  for (const variant of spellingVariants(q, candidates)) if ((await countPaperRows(db, { ...filters, q: variant }, 0)) > 0) return variant;
  return null;
}
