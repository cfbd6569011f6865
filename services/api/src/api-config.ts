import { z } from 'zod';
import { apiEnvSchema, optionalSetting, type ApiEnv } from '@paperwire/config';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The api's own settings on top of the shared api schema (kept here until libs/config carries them). */
export const apiServiceEnvSchema = apiEnvSchema.extend({
  /** lets webhook subscriptions target private/loopback addresses (local receivers in tests and demos) */
  WEBHOOK_ALLOW_PRIVATE: bool.default('false'),
  /**
   * `file` sources make the fetcher read a path on its own host; by default only an operator on the
   * host (the CLI) can create them, not an API client.
   */
  API_ALLOW_FILE_SOURCES: bool.default('false'),
  /** a streaming replica for the api's reads (writes and read-your-writes stay on DATABASE_URL) */
  DATABASE_READ_URL: optionalSetting(z.string().url()),
  /** requests one client (API key, else IP) may have in flight; more answer 429 + Retry-After */
  API_CLIENT_CONCURRENCY: z.coerce.number().int().min(1).max(100_000).default(32),
  /** requests in flight in this process; more answer 503 + Retry-After */
  API_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(512),
  /** how long anonymous hot reads are shared (ms, 0 disables; single-flight either way) */
  API_CACHE_MS: z.coerce.number().int().min(0).max(5_000).default(2_000),
  /** how long a request may wait for a database connection before 503 (ms) */
  API_DB_POOL_WAIT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** statement_timeout of the api's database sessions (ms): a runaway read answers 503, it does not hold the pool */
  API_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * max_parallel_workers_per_gather of the api's database sessions. Every api read is keyed to what its page shows,
   * so a parallel plan only adds its workers' start-up: at 2M papers Postgres picks one for small reads whose row
   * estimate is off (an author search of 50 papers: 6–10 ms instead of 0.9), and on a busy machine the wait grows.
   * 0 (the default) keeps the api's reads serial; the sweeper, which writes the catalogue-wide rollups, keeps the
   * server's setting.
   */
  API_PG_PARALLEL_WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  /**
   * origins whose pages may read the public API cross-origin (CORS: GET/HEAD of /api/*, /v1 but its admin API, the
   * OpenAPI document; never credentials, never writes): `*` (the default, as Hugging Face's API), a comma-separated
   * list of origins, or empty for none (an API on a private network without read keys should set it).
   */
  API_CORS_ORIGINS: z.string().max(4_000).default('*'),
  /**
   * negotiated br/gzip of text bodies of 1 kB or more (common/compression.ts): on by default; off behind a reverse
   * proxy or CDN that compresses, which then spends that CPU instead (about 1 ms per uncached home page here)
   */
  API_COMPRESSION: bool.default('true'),
  /**
   * one info line per request in the api's log (method, path and query with secret values redacted, status, ms,
   * bytes): on by default; off where a proxy in front keeps the access log
   */
  API_ACCESS_LOG: bool.default('true'),
});

export type ApiConfig = ApiEnv & {
  WEBHOOK_ALLOW_PRIVATE: boolean;
  API_ALLOW_FILE_SOURCES: boolean;
  DATABASE_READ_URL?: string;
  API_CLIENT_CONCURRENCY: number;
  API_MAX_IN_FLIGHT: number;
  API_CACHE_MS: number;
  API_DB_POOL_WAIT_MS: number;
  API_STATEMENT_TIMEOUT_MS: number;
  API_PG_PARALLEL_WORKERS: number;
  API_CORS_ORIGINS: string;
  API_COMPRESSION: boolean;
  API_ACCESS_LOG: boolean;
};
