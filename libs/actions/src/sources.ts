import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { FEED_FORMATS, JOB_QUEUE, uniqueVariant } from '@paperwire/contracts';
import {
  SOURCE_KINDS,
  deleteSource,
  documentProgress,
  findSourceByName,
  getSource as getSourceRow,
  insertSource,
  isUniqueViolation,
  isUuid,
  listSourceRows,
  pollableSources,
  recordUpload,
  recordSourceDocumentFailed,
  documentFailure,
  storeUploadedDocument,
  updateSource as updateSourceRow,
  upsertSourceByName,
  type DocumentProgress,
  type SourcePatch,
  type SourceRow,
  type SourceValues,
  type SkippedEntry,
} from '@paperwire/db';
import { HttpError, SsrfError, assertPublicUrl, reservedHostName } from '@paperwire/http';
import type { QueueSet } from '@paperwire/queue';
import { ActionError } from './errors';
import { clearFetchJobsOfSource } from './failed-jobs';
import type { Db } from '@paperwire/db';
import { invalidField, validate } from './validate';

/** A source as the API returns it and the CLI prints it. */
export interface Source {
  id: string;
  name: string;
  kind: string;
  url: string | null;
  params: Record<string, unknown>;
  everySeconds: number | null;
  enabled: boolean;
  allowPrivate: boolean;
  minIntervalMs: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** failed fetch attempts in a row, retries included */
  consecutiveFailures: number;
  /** polls in a row that failed for good (their job gave up) */
  failedPolls: number;
  /** when the current run of failures began (its first failed attempt); null while it works */
  failingSince: string | null;
  harvestedUntil: string | null;
  /** entries its latest parsed document skipped (null before one parsed), and the first few with their reasons */
  skippedEntries: number | null;
  skippedSample: SkippedEntry[];
  createdAt: string;
  updatedAt: string;
}

/**
 * What only an operator on the host may grant (the CLI): reaching private, loopback and link-local
 * addresses, and `file` sources that read the server's disk. Never fields of the input: the API passes
 * `allowPrivate: false` and its API_ALLOW_FILE_SOURCES setting.
 */
export interface SourceAccess {
  allowPrivate: boolean;
  allowFile: boolean;
}

/**
 * A source just created or updated, with what its caller should know: `warnings` names a URL whose host does
 * not resolve now (it is created all the same and checked again on every poll). The API answers it in the
 * 201 / 200, the CLI prints each on stderr.
 */
export type SourceSaved = Source & { warnings: string[] };

/** Sources found by id (API) or by their unique name (CLI). */
export type SourceRef = { id: string } | { name: string };

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toSource(r: SourceRow): Source {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    params: r.params,
    everySeconds: r.every_seconds,
    enabled: r.enabled,
    allowPrivate: r.allow_private,
    minIntervalMs: r.min_interval_ms,
    lastAttemptAt: iso(r.last_attempt_at),
    lastSuccessAt: iso(r.last_success_at),
    lastStatus: r.last_status,
    lastError: r.last_error,
    consecutiveFailures: r.consecutive_failures,
    failedPolls: r.failed_polls,
    failingSince: iso(r.failing_since),
    harvestedUntil: r.harvested_until,
    skippedEntries: r.skipped_entries,
    skippedSample: r.skipped_sample ?? [],
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** arXiv asks for at most one request every 3 s; other hosts get 1 s unless told otherwise. */
export function defaultMinIntervalMs(url: string | null | undefined): number {
  if (!url) return 1000;
  try {
    return /(^|\.)arxiv\.org$/i.test(new URL(url).hostname) ? 3000 : 1000;
  } catch {
    return 1000;
  }
}

const httpUrl = z
  .string()
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

/**
 * The kinds a source can be added as: every kind but `upload`, the one source of uploaded documents (made by
 * `paperwire ingest`, never polled).
 */
export const ADDABLE_SOURCE_KINDS = SOURCE_KINDS.filter((k): k is Exclude<(typeof SOURCE_KINDS)[number], 'upload'> => k !== 'upload') as [
  Exclude<(typeof SOURCE_KINDS)[number], 'upload'>,
  ...Exclude<(typeof SOURCE_KINDS)[number], 'upload'>[],
];

const kindMessage = (received: unknown): string =>
  `${received === 'upload' ? 'upload is not a kind to add: uploaded documents have their own source (paperwire ingest)' : `no kind ${JSON.stringify(received)}`}; the kinds are ${ADDABLE_SOURCE_KINDS.join(', ')}`;

/** A whole number between min and max, said in words when it is anything else (the CLI's NaN included). */
const wholeNumber = (what: string, min: number, max: number) => {
  const message = `must be a whole number of ${what} from ${min} to ${max}`;
  return z.number({ invalid_type_error: message }).int(message).min(min, message).max(max, message);
};

/** The longest name a source may have. */
const SOURCE_NAME_MAX = 100;

const sourceFields = {
  name: z
    .string()
    .trim()
    .min(1)
    .max(SOURCE_NAME_MAX)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/, 'must start with a letter or digit and hold only letters, digits, space . _ : -'),
  kind: z.enum(ADDABLE_SOURCE_KINDS, { errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_enum_value' ? kindMessage(issue.received) : ctx.defaultError }) }),
  url: z.string().trim().min(1).max(2000).nullable(),
  params: z
    .record(z.unknown())
    .refine((p) => p.format === undefined || (FEED_FORMATS as readonly string[]).includes(String(p.format)), {
      message: `format: one of ${FEED_FORMATS.join(', ')}`,
      path: ['format'],
    }),
  everySeconds: wholeNumber('seconds', 60, 7 * 24 * 3600).nullable(),
  enabled: z.boolean(),
  minIntervalMs: wholeNumber('milliseconds', 0, 3_600_000),
};

/** `file` sources take a path; `upload` has no URL; every other kind polls an http(s) URL. */
function checkUrl(kind: string, url: string | null | undefined, ctx: z.RefinementCtx): void {
  if (kind === 'upload') return;
  if (!url) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: `${kind} sources need a url` });
    return;
  }
  if (kind !== 'file' && !httpUrl.safeParse(url).success) ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be an http(s) URL' });
}

export const createSourceSchema = z
  .object({
    ...sourceFields,
    url: sourceFields.url.optional(),
    params: sourceFields.params.default({}),
    everySeconds: sourceFields.everySeconds.optional(),
    enabled: sourceFields.enabled.default(true),
    minIntervalMs: sourceFields.minIntervalMs.optional(),
  })
  .strict()
  .superRefine((v, ctx) => checkUrl(v.kind, v.url, ctx));

export const updateSourceSchema = z.object(sourceFields).partial().strict();

export type SourceInput = z.input<typeof createSourceSchema>;

/** Fields only an operator on the host may set, named in the refusal so a client knows. */
const OPERATOR_FIELDS = ['allowPrivate', 'allow_private'] as const;

function refuseOperatorFields(input: unknown): void {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return;
  const named = OPERATOR_FIELDS.filter((f) => Object.prototype.hasOwnProperty.call(input, f));
  if (named.length > 0)
    throw invalidField(
      'field not settable through the API',
      `/${named[0]}`,
      'private-address access is an operator setting: `paperwire sources add <name> <kind> <url> --allow-private` on the host',
    );
}

// Sources are an operator's (admin-key) business: the refusal may name the operator's way round.
const PRIVATE_SOURCE_HINT = "(private addresses need the operator's --allow-private on the host)";

/**
 * SSRF at the door: a polled URL that is, or resolves to, a private, loopback or link-local address
 * is refused unless the operator allowed it, and so is a special-use name that never resolves in the
 * public DNS (`.invalid`, `.example`, `.onion`; `localhost`, `.local`, `.test`, `.internal`, `.home.arpa`
 * without the operator's grant). A name that does not resolve now passes with a warning (the network may
 * be down: `npm start` registers the live sources offline); the fetcher checks every connection again.
 */
/** A warning on a source saved all the same: what is wrong now, and that fetching it fails until it is not. */
const keptAnyway = (what: string) => `${what}: the source is kept, and fetching it fails until it does`;

/**
 * A `file` source's path as the fetcher reads it (a file: URL, else a path resolved from the working directory), warned
 * of as an unresolvable host is when it is no readable file now: it is saved all the same, and read on every poll.
 */
async function fileWarnings(url: string): Promise<string[]> {
  let path: string;
  try {
    path = url.startsWith('file:') ? fileURLToPath(url) : resolve(url);
  } catch (err) {
    return [keptAnyway(`${url} is not a file path (${(err as Error).message})`)];
  }
  try {
    if ((await stat(path)).isFile()) return [];
    return [keptAnyway(`${path} is not a file now`)];
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return [keptAnyway(`${path} does not exist now${code ? ` (${code})` : ''}`)];
  }
}

async function checkSourceTarget(kind: string, url: string | null | undefined, access: SourceAccess): Promise<string[]> {
  if (kind === 'file' && !access.allowFile)
    throw invalidField('source kind refused', '/kind', "file sources read the server's disk: create them with the CLI on the host");
  if (kind === 'file' && url) return fileWarnings(url);
  if (kind === 'upload' || !url) return [];
  // Credentials in a URL end up in logs and API responses; sources that need them are not supported.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url)) throw invalidField('source URL refused', '/url', 'URLs must not carry credentials');
  const host = new URL(url).hostname;
  const reserved = reservedHostName(host);
  if (reserved === 'unresolvable') throw invalidField('source URL refused', '/url', `${host} is a special-use name that never resolves in the public DNS`);
  if (reserved === 'private' && !access.allowPrivate)
    throw invalidField('source URL refused', '/url', `${host} is a special-use name for private networks ${PRIVATE_SOURCE_HINT}`);
  if (access.allowPrivate) return [];
  try {
    await assertPublicUrl(url);
  } catch (err) {
    if (err instanceof SsrfError) throw invalidField('source URL refused', '/url', `${err.message} ${PRIVATE_SOURCE_HINT}`);
    if (err instanceof HttpError && err.code === 'network') return [keptAnyway(`the host of ${url} does not resolve now (${err.message})`)];
    throw err;
  }
  return [];
}

const taken = (name: unknown) => new ActionError('conflict', `a source named ${JSON.stringify(name)} exists`);

/** A name a 404 says it did not find: a name longer than any source's is not echoed back whole. */
const namedAs = (name: string): string =>
  name.length > SOURCE_NAME_MAX ? `${name.slice(0, SOURCE_NAME_MAX)}… (a source's name is at most ${SOURCE_NAME_MAX} characters)` : name;

async function load(db: Db, ref: SourceRef): Promise<SourceRow> {
  const row = 'id' in ref ? (isUuid(ref.id) ? await getSourceRow(db, ref.id) : null) : await findSourceByName(db, ref.name);
  if (!row) throw new ActionError('not-found', 'id' in ref ? 'no such source' : `no source named ${namedAs(ref.name)}`);
  return row;
}

export async function listSources(db: Db): Promise<Source[]> {
  return (await listSourceRows(db)).map(toSource);
}

export async function getSource(db: Db, ref: SourceRef): Promise<Source> {
  return toSource(await load(db, ref));
}

/**
 * Adds a source. `replace` (the CLI's `sources add`) updates the source of that name instead of
 * refusing it with a conflict; its enabled flag is kept.
 */
export async function createSource(db: Db, input: unknown, access: SourceAccess, opts: { replace?: boolean } = {}): Promise<SourceSaved> {
  refuseOperatorFields(input);
  const v = validate(createSourceSchema, input, 'body', 'invalid source');
  const warnings = await checkSourceTarget(v.kind, v.url, access);
  const values: SourceValues = {
    name: v.name,
    kind: v.kind,
    url: v.url ?? null,
    params: v.params,
    every_seconds: v.everySeconds ?? null,
    enabled: v.enabled,
    allow_private: access.allowPrivate,
    min_interval_ms: v.minIntervalMs ?? defaultMinIntervalMs(v.url),
  };
  try {
    return { ...toSource(opts.replace ? await upsertSourceByName(db, values) : await insertSource(db, values)), warnings };
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(v.name);
    throw err;
  }
}

/** Updates a source. A new URL is checked at the door and drops an operator's private-access grant. */
export async function updateSource(db: Db, ref: SourceRef, input: unknown, access: SourceAccess): Promise<SourceSaved> {
  const current = await load(db, ref);
  refuseOperatorFields(input);
  const patch = validate(updateSourceSchema, input, 'body', 'invalid source');
  const kind = patch.kind ?? current.kind;
  const url = patch.url === undefined ? current.url : patch.url;
  validate(z.object({}).superRefine((_, ctx) => checkUrl(kind, url, ctx)), {});
  // The URL of a source an operator granted private access passes as long as it is unchanged.
  const grantedUrl = current.allow_private && patch.url === undefined && patch.kind === undefined;
  const warnings = grantedUrl ? [] : await checkSourceTarget(kind, url, access);
  const values: SourcePatch = {
    name: patch.name,
    kind: patch.kind,
    url: patch.url,
    params: patch.params,
    every_seconds: patch.everySeconds,
    enabled: patch.enabled,
    min_interval_ms: patch.minIntervalMs,
  };
  if (Object.values(values).every((x) => x === undefined)) return { ...toSource(current), warnings };
  // A new URL drops the private-access grant: it was given for the old one (unless this caller grants it).
  if (patch.url !== undefined && patch.url !== current.url) values.allow_private = access.allowPrivate;
  try {
    const row = await updateSourceRow(db, current.id, values);
    if (!row) throw new ActionError('not-found', 'no such source');
    return { ...toSource(row), warnings };
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(patch.name);
    throw err;
  }
}

export async function setSourceEnabled(db: Db, ref: SourceRef, enabled: boolean): Promise<Source> {
  const current = await load(db, ref);
  const row = await updateSourceRow(db, current.id, { enabled });
  if (!row) throw new ActionError('not-found', 'no such source');
  return toSource(row);
}

/** Deletes a source; with `queues`, its failed and retrying fetch jobs too (they would fail on a source that is gone). */
export async function removeSource(db: Db, ref: SourceRef, queues?: QueueSet): Promise<void> {
  const current = await load(db, ref);
  if (!(await deleteSource(db, current.id))) throw new ActionError('not-found', 'no such source');
  if (queues) await clearFetchJobsOfSource(queues, current.id);
}

export interface PollAccepted {
  jobId: string;
  queue: string;
}

async function enqueueFetch(queues: QueueSet, sourceId: string, now: number): Promise<PollAccepted> {
  const jobId = await queues.enqueue('fetch-source', { sourceId, reason: 'manual' }, { variant: uniqueVariant('m', now) });
  return { jobId, queue: JOB_QUEUE['fetch-source'] };
}

/** Fetches a source now (a fetch-source job with reason manual); a disabled source is refused. */
export async function pollSource(db: Db, queues: QueueSet, ref: SourceRef): Promise<PollAccepted> {
  const src = await load(db, ref);
  if (!src.enabled) throw new ActionError('invalid', 'source is disabled; enable it first');
  return enqueueFetch(queues, src.id, Date.now());
}

/**
 * Fetches every enabled source now (all but `upload`); returns their names. `names`: only the enabled ones of these
 * (`up` polls the bundled samples it registers, never a source an operator added without `--every`: that one is
 * fetched only when asked, `sources poll`); `unscheduledOnly`: only those without a schedule (`everySeconds`), as at
 * start-up, where the fetcher's schedule polls the others: a new schedule at once, an existing one at its next slot
 * (at once when the slot passed while nothing ran), so a start polls each source once and a restart adds no poll to a
 * schedule.
 */
export async function pollAllSources(
  db: Db,
  queues: QueueSet,
  opts: { unscheduledOnly?: boolean; names?: readonly string[] } = {},
): Promise<string[]> {
  const rows = (await pollableSources(db)).filter(
    (r) => (!opts.unscheduledOnly || r.every_seconds === null) && (!opts.names || opts.names.includes(r.name)),
  );
  const now = Date.now();
  for (const r of rows) await enqueueFetch(queues, r.id, now);
  return rows.map((r) => r.name);
}

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface Upload {
  rawDocumentId: string;
  created: boolean;
  bytes: number;
}

/** Stores a document as a raw document of the `upload` source and enqueues it for parsing. */
export async function ingestDocument(
  db: Db,
  queues: QueueSet,
  doc: { body: Buffer; location: string; format?: string },
): Promise<Upload> {
  if (doc.format !== undefined && !(FEED_FORMATS as readonly string[]).includes(doc.format))
    throw invalidField(`unknown format "${doc.format}"`, '/format', `one of ${FEED_FORMATS.join(', ')}`);
  if (doc.body.length > MAX_UPLOAD_BYTES) throw new ActionError('invalid', `${doc.location} is larger than 50 MB`);
  const source = await upsertSourceByName(db, {
    name: 'upload',
    kind: 'upload',
    url: null,
    params: {},
    every_seconds: null,
    enabled: true,
    allow_private: false,
    min_interval_ms: defaultMinIntervalMs(null),
  });
  const contentHash = createHash('sha256').update(doc.body).digest('hex');
  const stored = await storeUploadedDocument(db, { sourceId: source.id, contentHash, url: doc.location, formatHint: doc.format ?? null, body: doc.body });
  await recordUpload(db, source.id);
  // the same bytes as an upload that could not be parsed: it is not parsed again, and the upload source stays failing
  if (stored.status === 'failed') await recordSourceDocumentFailed(db, source.id, documentFailure(stored.id, stored.error ?? 'unknown error'));
  // a document read again in another format is a second parse of the same id (the first one's job may be kept)
  await queues.enqueue('parse-document', { rawDocumentId: stored.id }, stored.reformatted ? { variant: uniqueVariant('format') } : {});
  return { rawDocumentId: stored.id, created: stored.created, bytes: doc.body.length };
}

export type IngestProgress = DocumentProgress;

/** Where an ingested document's papers are, per stage. */
export async function ingestProgress(db: Db, rawDocumentId: string): Promise<IngestProgress> {
  return documentProgress(db, rawDocumentId);
}
