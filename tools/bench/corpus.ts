// A deterministic benchmark corpus: N records recombined from the real abstracts of the project's
// feed fixtures, with duplicates (the same version seen again) and new versions (changed abstract)
// mixed in, rendered as OAI-PMH arXivRaw pages on demand (no page is kept in memory).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from '@paperwire/feeds';

export interface BaseText {
  title: string;
  abstract: string;
}

export interface CorpusRecord {
  /** position in the stream */
  index: number;
  arxivId: string;
  version: number;
  title: string;
  abstract: string;
  authors: string;
  categories: string;
}

export interface CorpusOptions {
  records: number;
  duplicateRate: number;
  versionRate: number;
}

/** Every paper of the committed feed fixtures (the acceptance text capture excluded). */
export function loadBaseTexts(root: string): BaseText[] {
  const dir = join(root, 'libs', 'feeds', 'fixtures', 'ok');
  const out: BaseText[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/PROVENANCE|\.md$|daily-papers-sep-1/.test(name)) {
        try {
          for (const paper of parseDocument({ body: readFileSync(p), fileName: p }).papers) {
            if (paper.abstract.length > 200) out.push({ title: paper.title, abstract: paper.abstract });
          }
        } catch {
          // error fixtures (arXiv error entry, noRecordsMatch…) have no papers
        }
      }
    }
  };
  walk(dir);
  if (out.length < 20) throw new Error(`only ${out.length} base abstracts found under ${dir}`);
  return out;
}

/** A cheap deterministic hash in [0, 1) (mulberry32 of the index and a salt). */
export function rand(i: number, salt: number): number {
  let t = (i * 2654435761 + salt * 40503) >>> 0;
  t = (t + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export function arxivIdOf(n: number): string {
  const block = Math.floor(n / 99_999);
  const yy = 30 + Math.floor(block / 12);
  const mm = 1 + (block % 12);
  return `${yy}${String(mm).padStart(2, '0')}.${String((n % 99_999) + 1).padStart(5, '0')}`;
}

export type RecordKind = 'fresh' | 'duplicate' | 'version';

export function kindOf(i: number, o: CorpusOptions): RecordKind {
  if (i < 10) return 'fresh';
  const r = rand(i, 1);
  if (r < o.duplicateRate) return 'duplicate';
  if (r < o.duplicateRate + o.versionRate) return 'version';
  return 'fresh';
}

/** The fresh record a duplicate or new version refers to (always an earlier fresh record). */
export function originOf(i: number, o: CorpusOptions): number {
  let j = i;
  while (kindOf(j, o) !== 'fresh') j = j - 1 - Math.floor(rand(j, 2) * Math.min(j - 1, 500));
  return j;
}

const CLAIM_SENTENCES = [
  (a: number, b: number) => `Our method improves accuracy by ${a}.${b}% over the strongest baseline on ${['GSM8K', 'MMLU', 'SQuAD', 'WebQSP'][b % 4]}.`,
  (a: number, b: number) => `It reduces peak GPU memory by ${(a % 9) + 2}.${b}x while keeping ${90 + (a % 9)}% of the quality.`,
  (a: number, b: number) => `We evaluate on ${['six', 'eight', 'twelve'][a % 3]} datasets and ${a + 10} tasks with models up to ${b + 1}B parameters.`,
];

export function recordAt(i: number, base: BaseText[], o: CorpusOptions): CorpusRecord {
  const kind = kindOf(i, o);
  const origin = kind === 'fresh' ? i : originOf(i, o);
  const b = base[origin % base.length];
  const other = base[(origin * 7 + 3) % base.length];
  const a = Math.floor(rand(origin, 3) * 60) + 1;
  const d = Math.floor(rand(origin, 4) * 10);
  const sentences = other.abstract.split(/(?<=\.)\s+/);
  let abstract = `${b.abstract} ${sentences[0]} ${CLAIM_SENTENCES[origin % 3](a, d)}`;
  let version = 1;
  if (kind === 'version') {
    version = 2 + (i % 3);
    abstract = `${abstract} In version ${version} we add experiments on ${a + version} more benchmarks.`;
  }
  return {
    index: i,
    arxivId: arxivIdOf(origin),
    version,
    title: `${b.title} (${origin})`,
    abstract,
    authors: `A. Author${origin % 97}, B. Writer${origin % 89} and C. Researcher${origin % 83}`,
    categories: ['cs.LG cs.CL', 'cs.CL', 'cs.LG stat.ML', 'cs.CV cs.LG', 'cs.IR'][origin % 5],
  };
}

/**
 * What the classify stage gets in `npm run bench` (same corpus options as tools/bench/bench.ts): the first
 * `records` records without their duplicates (they pass the stage unclassified), with their source categories.
 */
export function classifyStagePapers(
  base: BaseText[],
  records: number,
): { title: string; abstract: string; categories: string[] }[] {
  const o: CorpusOptions = { records, duplicateRate: 0.05, versionRate: 0.05 };
  const out: { title: string; abstract: string; categories: string[] }[] = [];
  for (let i = 0; i < records; i++) {
    if (kindOf(i, o) === 'duplicate') continue;
    const r = recordAt(i, base, o);
    out.push({ title: r.title, abstract: r.abstract, categories: r.categories.split(' ') });
  }
  return out;
}

/** Distinct papers the corpus contains (what must end up in Postgres). */
export function distinctPapers(o: CorpusOptions): number {
  let n = 0;
  for (let i = 0; i < o.records; i += 1) if (kindOf(i, o) === 'fresh') n += 1;
  return n;
}

/** Escapes text for an XML element's content. */
export const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface ArxivRawFields {
  arxivId: string;
  title: string;
  authors: string;
  abstract: string;
  categories: string;
  /** the OAI datestamp (YYYY-MM-DD) */
  datestamp: string;
  /** one RFC 2822 date per version, v1 first */
  versionDates: string[];
  submitter: string;
}

/** One OAI-PMH ListRecords record in arXivRaw format, as export.arxiv.org writes it (on one line). */
export function arxivRawRecord(r: ArxivRawFields): string {
  const versions = r.versionDates
    .map((date, k) => `<version version="v${k + 1}"><date>${date}</date><size>100kb</size></version>`)
    .join('');
  return (
    `<record><header><identifier>oai:arXiv.org:${r.arxivId}</identifier><datestamp>${r.datestamp}</datestamp><setSpec>cs</setSpec></header>` +
    `<metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/"><id>${r.arxivId}</id><submitter>${xmlText(r.submitter)}</submitter>${versions}` +
    `<title>${xmlText(r.title)}</title><authors>${xmlText(r.authors)}</authors><categories>${r.categories}</categories>` +
    `<abstract>${xmlText(r.abstract)}</abstract></arXivRaw></metadata></record>`
  );
}

/** One OAI-PMH ListRecords page in arXivRaw format; the token of the last page is empty. */
export function oaiPage(page: number, pageSize: number, base: BaseText[], o: CorpusOptions): string {
  const start = page * pageSize;
  const end = Math.min(o.records, start + pageSize);
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">',
    `<responseDate>2026-11-24T00:00:00Z</responseDate><request verb="ListRecords" metadataPrefix="arXivRaw">http://127.0.0.1/oai</request><ListRecords>`,
  ];
  for (let i = start; i < end; i += 1) {
    const r = recordAt(i, base, o);
    parts.push(
      arxivRawRecord({
        ...r,
        datestamp: '2026-03-02',
        versionDates: Array.from({ length: r.version }, () => 'Mon, 2 Mar 2026 10:00:00 GMT'),
        submitter: 'Bench',
      }),
    );
  }
  const more = end < o.records;
  parts.push(`<resumptionToken cursor="${start}" completeListSize="${o.records}">${more ? `bench-${page + 1}` : ''}</resumptionToken></ListRecords></OAI-PMH>`);
  return parts.join('\n');
}

/** Days of the HF corpus: the first day the replay serves, and how many pages of `limit` one day holds. */
export const HF_FIRST_DAY = '2026-03-02';

/**
 * Page `page` of the corpus as Hugging Face `/api/daily_papers` JSON items (an empty array past the
 * end): the same records as the OAI pages, with community signals drawn from the record's origin.
 */
export function hfPage(page: number, pageSize: number, base: BaseText[], o: CorpusOptions, day: string): string {
  const start = page * pageSize;
  const end = Math.min(o.records, start + pageSize);
  const items: unknown[] = [];
  for (let i = start; i < end; i += 1) {
    const r = recordAt(i, base, o);
    const origin = kindOf(i, o) === 'fresh' ? i : originOf(i, o);
    items.push({
      paper: {
        id: r.arxivId,
        authors: r.authors.split(/, | and /).map((name) => ({ name })),
        publishedAt: `${day}T00:00:00.000Z`,
        submittedOnDailyAt: `${day}T00:00:00.000Z`,
        title: r.title,
        summary: r.abstract,
        upvotes: Math.floor(rand(origin, 5) * 120),
        githubRepo: origin % 4 === 0 ? `https://github.com/bench/repo-${origin}` : undefined,
        githubStars: origin % 4 === 0 ? Math.floor(rand(origin, 6) * 3000) : undefined,
      },
      publishedAt: `${day}T00:00:00.000Z`,
      title: r.title,
      numComments: Math.floor(rand(origin, 7) * 9),
      submittedBy: { name: `bench-user-${origin % 50}` },
    });
  }
  return JSON.stringify(items);
}
