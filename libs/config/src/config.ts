import { z } from 'zod';
import { trustProxySchema } from './trust-proxy';
import { resolveTokenSecrets } from './token-secret';

// Every service validates its environment once at start-up with these schemas; nothing else reads
// process.env. Defaults fit a developer machine with Postgres and Redis on localhost.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);

/**
 * A setting without a default: unset, or set to the empty string, is not set. docker-compose passes every setting
 * through (`X: ${X:-}`), which gives the empty string for one the operator left out.
 */
export const optionalSetting = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const commonEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/paperwire'),
  /** Postgres schema; tests give each file its own */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a plain lower-case identifier')
    .default('public'),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix; braces keep every key of a queue in one Redis Cluster slot */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}.-]{1,64}$/)
    .default('{pw}'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** HTTP port for /healthz, /readyz and /metrics (and the API itself in the api service) */
  PORT: optionalSetting(z.coerce.number().int().min(0).max(65535)),
  HOST: z.string().default('127.0.0.1'),
  /** jobs processed in parallel by one process of a stage */
  CONCURRENCY: optionalSetting(z.coerce.number().int().min(1).max(256)),
  /** papers per batch job handed to the next stage */
  BATCH_SIZE: int(100, 1, 1000),
  /** re-enqueue papers that sit in a stage longer than this */
  RECONCILE_AFTER_SECONDS: int(300, 5),
  /**
   * the sweeper's period. A sweep also refreshes the topic counts GET /v1/topics reads on a large catalogue (at most
   * every 50 s): they are up to a period old, and the sweeper marks them trusted for max(300 s, 3 periods), after
   * which (no sweeper running) a listing computes them itself (~1 s at 2M papers)
   */
  RECONCILE_EVERY_SECONDS: int(60, 1),
  /** refuse to start when Redis may evict BullMQ keys */
  REDIS_REQUIRE_NOEVICTION: bool.default('true'),
  SHUTDOWN_GRACE_MS: int(20_000, 0),
});

export const fetcherEnvSchema = commonEnvSchema.extend({
  FETCH_TIMEOUT_MS: int(30_000, 100),
  FETCH_CONNECT_TIMEOUT_MS: int(10_000, 100),
  FETCH_MAX_BYTES: int(50 * 1024 * 1024, 1024),
  FETCH_RETRIES: int(3, 0, 20),
  /** a backfill waits while the parse queue holds more waiting jobs than this */
  PARSE_QUEUE_BOUND: int(200, 1),
  USER_AGENT: z
    .string()
    .default('PaperWire/0.1 (research feed ingester; +https://github.com/paperwire/paperwire)'),
});

/**
 * Signs links, Bull Board sessions and CSRF tokens (SECURITY.md). Required outside development/test
 * (32+ bytes, no published value); unset in development/test, a per-install secret is generated under
 * .paperwire/. TOKEN_SECRET_PREVIOUS verifies (never signs) during a rotation window.
 */
const tokenSecretEnv = {
  TOKEN_SECRET: z.string().default(''),
  TOKEN_SECRET_PREVIOUS: optionalSetting(z.string()),
};

export const notifierEnvSchema = commonEnvSchema.extend({
  SMTP_URL: z.string().default('smtp://127.0.0.1:2525'),
  SMTP_FROM: z.string().default('PaperWire <papers@paperwire.local>'),
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
  ...tokenSecretEnv,
  WEBHOOK_TIMEOUT_MS: int(10_000, 100),
  /**
   * messages in a row that failed for good (retries exhausted, refused, a fatal answer) that pause an endpoint;
   * unset: libs/notifications WEBHOOK_PAUSE_AFTER_FAILED_MESSAGES (20). Failed attempts still to be retried never count.
   */
  WEBHOOK_MAX_FAILED_MESSAGES: optionalSetting(z.coerce.number().int().min(1)),
  /** the earlier name of WEBHOOK_MAX_FAILED_MESSAGES (read when that is unset; it always meant the same count) */
  WEBHOOK_MAX_FAILURES: optionalSetting(z.coerce.number().int().min(1)),
  /** lets webhook targets on private addresses (local receivers in tests and demos) */
  WEBHOOK_ALLOW_PRIVATE: bool.default('false'),
});

export const apiEnvSchema = commonEnvSchema.extend({
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
  ...tokenSecretEnv,
  /** require an API key for read endpoints too */
  API_READ_REQUIRES_KEY: bool.default('false'),
  RATE_LIMIT_PER_MINUTE: int(600, 1),
  MAX_BODY_BYTES: int(1024 * 1024, 1024),
  /** reverse proxies whose X-Forwarded-For is believed (Express `trust proxy`); default none */
  TRUST_PROXY: trustProxySchema.default('false'),
  /** failed authentications (bad or missing required key, failed Bull Board sign-in) per client and window before 429 */
  AUTH_FAILURE_LIMIT: int(50, 1),
  AUTH_FAILURE_WINDOW_SECONDS: int(300, 1, 86_400),
  /** the api serves /metrics on this port only (not on PORT); default 9100 in production, a free port otherwise */
  METRICS_PORT: optionalSetting(z.coerce.number().int().min(0).max(65535)),
});

export type CommonEnv = z.infer<typeof commonEnvSchema>;
export type FetcherEnv = z.infer<typeof fetcherEnvSchema>;
export type NotifierEnv = z.infer<typeof notifierEnvSchema>;
export type ApiEnv = z.infer<typeof apiEnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; throws one readable error listing every bad variable. */
export function loadConfig<S extends z.ZodTypeAny>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const res = schema.safeParse(env);
  const lines = res.success ? [] : res.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  let data = res.success ? (res.data as Record<string, unknown>) : undefined;
  // Schemas with TOKEN_SECRET (api, notifier): refuse weak secrets, generate the development one.
  if (schema instanceof z.ZodObject && 'TOKEN_SECRET' in schema.shape) {
    const nodeEnv = typeof env.NODE_ENV === 'string' && env.NODE_ENV ? env.NODE_ENV : 'development';
    const { secrets, problems } = resolveTokenSecrets(
      {
        NODE_ENV: nodeEnv,
        TOKEN_SECRET: env.TOKEN_SECRET ?? '',
        TOKEN_SECRET_PREVIOUS: env.TOKEN_SECRET_PREVIOUS,
      },
      env,
    );
    lines.push(...problems.map((p) => `  ${p}`));
    if (data && secrets)
      data = {
        ...data,
        TOKEN_SECRET: secrets.TOKEN_SECRET,
        TOKEN_SECRET_PREVIOUS: secrets.TOKEN_SECRET_PREVIOUS,
      };
  }
  if (lines.length > 0 || !data) throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  return data as z.infer<S>;
}

/** Replaces the password of a URL with *** for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}

/** The pipeline's worker processes (`services/<name>`), in pipeline order, the sweeper last. */
export const WORKER_SERVICES = ['fetcher', 'parser', 'classifier', 'metric-extractor', 'notifier', 'sweeper'] as const;
/** Every long-running PaperWire process: the workers and the api (`paperwire up`, docker-compose, infra/k8s). */
export const SERVICES = [...WORKER_SERVICES, 'api'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** Each service's default HTTP port (health and /metrics; the api's REST port), when PORT is not set. */
export const SERVICE_PORTS: Readonly<Record<ServiceName, number>> = {
  fetcher: 9101,
  parser: 9102,
  classifier: 9103,
  'metric-extractor': 9104,
  notifier: 9105,
  sweeper: 9106,
  api: 3000,
};

/**
 * V8 flags every PaperWire service process runs with (docker-compose sets the same in NODE_OPTIONS).
 * A 2 MB semi-space instead of Node's 16 MB: the young generation of a service handling 2 MB feed
 * pages grew to ~48 MB between scavenges; capped, peak RSS under the 20k-paper bench fell by
 * 20–80 MB per service (e.g. classifier 230–239 → 195–197 MB) with CPU per paper within noise.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * V8 flags the metric-extractor sets on itself at start-up (services/metric-extractor/src/v8-flags.ts; Node does not
 * take them in NODE_OPTIONS). The extractor reads every abstract once, and on text it has not read most of its cost
 * was V8 recompiling its large rule functions: each first use of a rule path in optimised code (a type-feedback slot
 * never reached before) discards that code, and the function is optimised again soon after. A 6x interrupt budget
 * (V8's default is 67,584) lets a function run longer on its baseline code before it is optimised, so it is
 * optimised after more of its paths have been seen and recompiled less often (BENCHMARKS.md, sessions 21 and 24).
 * bench-metrics runs with the same flags.
 */
export const METRIC_EXTRACTOR_V8_FLAGS: readonly string[] = ['--interrupt-budget=400000'];

/**
 * The V8 old-space cap (MB) of each service: what its Kubernetes manifest sets in NODE_OPTIONS under a
 * 256Mi memory limit (infra/k8s; docker-compose sets the same). Every process that runs a service (the
 * bench, the soak, `paperwire up`, the e2e and chaos harnesses) runs it with this cap, so a measured peak
 * RSS is the one the pod will have; without it V8 grew the classifier's heap to 432 MB on the 100k
 * bench, a pod the manifest's limit would have killed.
 */
export function serviceHeapMb(name: string): number {
  return name === 'api' ? 256 : 160;
}

/** The V8 flags of `services/<name>`: SERVICE_NODE_FLAGS and the service's old-space cap. */
export function serviceNodeFlags(name: string): string[] {
  return [...SERVICE_NODE_FLAGS, `--max-old-space-size=${serviceHeapMb(name)}`];
}
