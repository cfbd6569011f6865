import type { DataSource } from 'typeorm';
import {
  ActionError,
  CLAIM_SEARCH_MAX_LIMIT,
  checkFilterValues,
  getPaper,
  integerText,
  numberText,
  plainIssues,
  searchClaims as searchClaimsAction,
  type ClaimHit,
  type PaperDetail,
} from '@paperwire/actions';
import { PAPER_ID_FORMS, parsePaperId } from '@paperwire/contracts';
import { z } from 'zod';

export interface ClaimSearch {
  metric?: string;
  kind?: string;
  unit?: string;
  min?: number;
  max?: number;
  since?: string;
  /** at most this many hits (pages of the API's size are followed, short and empty ones with a cursor too) */
  limit?: number;
}

/**
 * Claims across papers, e.g. metric "gpu memory", kind reduction, unit x, min 10: the hits GET /v1/claims
 * returns for the same filter (the same action, the same metric aliases), newest papers first.
 */
export async function searchClaims(ds: DataSource, q: ClaimSearch): Promise<ClaimHit[]> {
  try {
    return await claimHits(ds, q);
  } catch (e) {
    throw e instanceof ActionError ? asOptionError(e) : e;
  }
}

/** The option of `paperwire claims` each field of the claim search comes from. */
const CLAIM_OPTIONS: Record<string, string> = {
  claimMetric: '--metric',
  claimKind: '--kind',
  claimUnit: '--unit',
  claimMin: '--min',
  claimMax: '--max',
  since: '--since',
  limit: '--limit',
};

/** The API parameter names (claimKind …) an action's message can mention, as a whole word. */
const CLAIM_PARAM_RE = new RegExp(
  `\\b(?:${Object.keys(CLAIM_OPTIONS)
    .filter((k) => k.startsWith('claim'))
    .join('|')})\\b`,
  'g',
);

/** The action's refusal, naming the command's options (--kind) rather than the API's query parameters (claimKind). */
function asOptionError(e: ActionError): ActionError {
  const rename = (text: string) => text.replace(CLAIM_PARAM_RE, (f) => CLAIM_OPTIONS[f]);
  const details = e.details?.map((d) => ({
    field: CLAIM_OPTIONS[d.field] ?? d.field,
    message: rename(d.message),
  }));
  return new ActionError(e.code, rename(e.message), details, e.retryAfterSeconds);
}

/** The columns of the `claims` table on a terminal. */
export const CLAIM_TABLE_COLUMNS = ['arxivId', 'paperTitle', 'summary', 'metric', 'kind', 'value', 'unit', 'publishedAt'] as const satisfies readonly (keyof ClaimHit)[];

/** The most hits `paperwire claims --limit` takes. */
export const CLAIMS_CLI_MAX_LIMIT = 1000;
const claimNumbersSchema = z.object({
  min: numberText.optional(),
  max: numberText.optional(),
  limit: integerText(1, CLAIMS_CLI_MAX_LIMIT),
});

/**
 * `--min`, `--max` and `--limit` of `paperwire claims` as numbers, refused as the API refuses claimMin, claimMax and
 * limit (plainIssues' words, naming the option: "--limit must be at least 1 (got 0)"), every bad one at once.
 */
export function claimNumbers(o: { min?: string; max?: string; limit: string }): { min: number | undefined; max: number | undefined; limit: number } {
  const parsed = claimNumbersSchema.safeParse({ min: o.min, max: o.max, limit: o.limit });
  if (parsed.success) return { min: parsed.data.min, max: parsed.data.max, limit: parsed.data.limit };
  const issues = plainIssues(claimNumbersSchema, parsed.error.issues, o, 'query').map((i) => ({
    field: `--${i.field}`,
    message: i.message.replace(new RegExp(`^${i.field}\\b`), `--${i.field}`),
  }));
  throw new ActionError('invalid', issues.map((i) => i.message).join('; '), issues);
}

async function claimHits(ds: DataSource, q: ClaimSearch): Promise<ClaimHit[]> {
  const wanted = Math.max(1, Math.min(q.limit ?? 50, CLAIMS_CLI_MAX_LIMIT));
  // a metric no claim names and the metric table does not know is refused with the closest names, as the API does
  await checkFilterValues(ds, { claimMetric: q.metric });
  const hits: ClaimHit[] = [];
  let after: readonly [string, string] | undefined;
  do {
    const page = await searchClaimsAction(ds, {
      claimMetric: q.metric,
      claimKind: q.kind,
      claimUnit: q.unit,
      claimMin: q.min,
      claimMax: q.max,
      since: q.since,
      limit: Math.min(wanted - hits.length, CLAIM_SEARCH_MAX_LIMIT),
      after,
    });
    hits.push(...page.items);
    after = page.nextKey ?? undefined;
  } while (after && hits.length < wanted);
  return hits;
}

/**
 * One paper by id, arXiv id or paper key: the object GET /v1/papers/{id} returns; null when no paper has that
 * id. What can never be a paper id is refused as the API refuses it (not a paper id: the forms it reads).
 */
export function showPaper(ds: DataSource, idOrArxiv: string): Promise<PaperDetail | null> {
  if (!parsePaperId(idOrArxiv))
    throw new ActionError(
      'invalid',
      `${JSON.stringify(idOrArxiv.slice(0, 100))} is not a paper id: give ${PAPER_ID_FORMS}`,
    );
  return getPaper(ds, idOrArxiv);
}

/** What changed between consecutive versions: title and a word-level summary of the abstract. */
export function versionChanges(
  versions: { version: number | null; title: string; abstract: string }[],
): string[] {
  const out: string[] = [];
  for (let i = 1; i < versions.length; i += 1) {
    const a = versions[i - 1];
    const b = versions[i];
    const label = `v${a.version ?? '?'} → v${b.version ?? '?'}`;
    if (a.title !== b.title) out.push(`${label}: title "${a.title}" → "${b.title}"`);
    if (a.abstract !== b.abstract) {
      const before = new Set(a.abstract.split(/\s+/));
      const after = new Set(b.abstract.split(/\s+/));
      const added = [...after].filter((w) => !before.has(w));
      const removed = [...before].filter((w) => !after.has(w));
      out.push(
        `${label}: abstract changed (+${added.length} / -${removed.length} words${added.length ? `; added: ${added.slice(0, 12).join(' ')}` : ''})`,
      );
    }
    if (a.title === b.title && a.abstract === b.abstract)
      out.push(`${label}: no change to title or abstract`);
  }
  return out;
}
