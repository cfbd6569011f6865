// Every setting a service reads reaches it where PaperWire is deployed, and is documented where an operator looks:
//   - docker-compose.yml passes each variable a service reads to that service (a fixed value, or `${X:-default}` from
//     .env whose default is the service's own), unless NOT_PASSED_BY_COMPOSE says why not;
//   - infra/.env.example lists each (`X=`, `# X=` for one .env may set; `# X: meaning` for one compose fixes),
//     unless NOT_IN_ENV_EXAMPLE says why not, and lists every variable compose takes from .env;
//   - infra/k8s sets only variables something reads, and the ones K8S_REQUIRED names.
// "Read" is what each service's config schema parses (the schema its main.ts hands loadConfig) plus every
// `process.env.X` / `env.X` in the non-test sources of libs/*/src and services/*/src (not testing/ folders, not test-*.ts).
// Run by infra/scripts/check-infra.js (tools/check-infra.sh, the `infra` step of npm test) and by its spec.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import type { z } from 'zod';
import { SERVICES, apiEnvSchema, commonEnvSchema, fetcherEnvSchema, notifierEnvSchema } from '@paperwire/config';
import { apiServiceEnvSchema } from '../../services/api/src/api-config';
import { notifierServiceEnvSchema } from '../../services/notifier/src/notifier-config';

type Schema = z.ZodObject<z.ZodRawShape>;

/** The schemas a service's main.ts may hand loadConfig, by the name it imports them under. */
const SCHEMAS: Record<string, Schema> = {
  commonEnvSchema,
  fetcherEnvSchema,
  notifierEnvSchema,
  apiEnvSchema,
  apiServiceEnvSchema,
  notifierServiceEnvSchema,
} as unknown as Record<string, Schema>;

/** docker-compose's one-shot migration runs the CLI (`services/cli db migrate`); every other app service is one of SERVICES. */
const COMPOSE_SERVICE_SOURCES: Record<string, string> = { ...Object.fromEntries(SERVICES.map((s) => [s, s])), migrate: 'cli' };

/**
 * Read by code, deliberately not passed by docker-compose (to the services named, or to any), and why.
 */
export const NOT_PASSED_BY_COMPOSE: Record<string, { services?: readonly string[]; why: string }> = {
  CONCURRENCY: { services: ['api', 'sweeper', 'migrate'], why: 'only stage workers read it (the sweeper runs one sweep at a time)' },
  PAPERWIRE_STATE_DIR: { why: 'local state of npm start / paperwire up; containers run with TOKEN_SECRET and log to stdout' },
  PAPERWIRE_BULK: { why: 'a benchmark switch between bulk-insert transports (BENCHMARKS.md), not a setting' },
  PORT_API: { why: 'paperwire up only: where the api of a second local copy listens' },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: { why: 'compose sends traces to its own collector through OTEL_EXPORTER_OTLP_ENDPOINT' },
  PUBLIC_URL: { services: ['migrate'], why: 'the migrate container runs `db migrate` only (paperwire up reads it)' },
  WEBHOOK_ALLOW_PRIVATE: { services: ['migrate'], why: 'the migrate container runs `db migrate` only (subscriptions create reads it)' },
};

/** Read by code, deliberately not in infra/.env.example (it configures deployments), and why. */
export const NOT_IN_ENV_EXAMPLE: Record<string, string> = {
  PAPERWIRE_BULK: 'a benchmark switch between bulk-insert transports (BENCHMARKS.md), not a setting',
  PORT_API: 'paperwire up only (README, "Run it"), beside PORT_FETCHER … PORT_SWEEPER',
  OTEL_SERVICE_NAME: 'one per service; docker-compose and infra/k8s name each',
};

/** A compose default that is not the service's own on purpose, and why. */
export const COMPOSE_OWN_DEFAULTS: Record<string, string> = {
  SMTP_URL: "compose's mailpit service",
  PUBLIC_URL: 'the api as published on the host (localhost)',
  CONCURRENCY: 'a default per stage',
};

/** Variables something other than PaperWire's code reads in its containers. */
export const RUNTIME_VARIABLES: Record<string, string> = {
  NODE_OPTIONS: 'Node itself (the V8 flags, checked against serviceNodeFlags)',
  SERVICE: 'infra/docker/entrypoint.sh: which service to run',
};

/** What infra/k8s must set, per Deployment (by its service), '*' for every one: no default fits a cluster. */
export const K8S_REQUIRED: Record<string, readonly string[]> = {
  '*': ['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'HOST'],
  api: ['TOKEN_SECRET', 'PUBLIC_URL', 'TRUST_PROXY', 'PORT', 'METRICS_PORT'],
  notifier: ['TOKEN_SECRET', 'PUBLIC_URL', 'SMTP_URL', 'SMTP_FROM'],
};

const ENV_READ = /\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]+)\b|\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\])/g;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'testing' && e.name !== 'fixtures') out.push(...sourceFiles(p));
    } else if (e.name.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(e.name) && !e.name.startsWith('test-')) out.push(p);
  }
  return out;
}

function envReads(files: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(ENV_READ)) names.add(m[1] ?? m[2]);
  return names;
}

export interface ConfigReads {
  /** per compose app service: the variables it reads */
  byService: Map<string, Set<string>>;
  /** every variable read anywhere (libs/config's own reads too) */
  all: Set<string>;
  /** each service's schema, for defaults */
  schemaOf: Map<string, Schema>;
  problems: string[];
}

/** What each service reads: its schema's keys, its own sources' env reads and those of the libs (but libs/config's). */
export function configReads(root: string): ConfigReads {
  const problems: string[] = [];
  const libs = readdirSync(join(root, 'libs')).filter((l) => l !== 'testing');
  // libs/config reads only what its schemas name, and for the schemas with TOKEN_SECRET the local state directory
  const configOwn = envReads(sourceFiles(join(root, 'libs', 'config', 'src')));
  const libReads = envReads(libs.filter((l) => l !== 'config').flatMap((l) => sourceFiles(join(root, 'libs', l, 'src'))));
  const byService = new Map<string, Set<string>>();
  const schemaOf = new Map<string, Schema>();
  const all = new Set<string>([...configOwn, ...libReads]);
  for (const [service, dir] of Object.entries(COMPOSE_SERVICE_SOURCES)) {
    const files = sourceFiles(join(root, 'services', dir, 'src'));
    const schemaNames = new Set<string>();
    for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/\bloadConfig\(\s*(\w+)/g)) schemaNames.add(m[1]);
    const reads = new Set<string>([...libReads, ...envReads(files)]);
    for (const name of schemaNames) {
      const schema = SCHEMAS[name];
      if (!schema) {
        problems.push(`services/${dir}: loadConfig(${name}): add ${name} to SCHEMAS in tools/infra/env-coverage.ts`);
        continue;
      }
      schemaOf.set(service, schema);
      for (const k of Object.keys(schema.shape)) reads.add(k);
    }
    if (schemaNames.size === 0) problems.push(`services/${dir}: no loadConfig(<schema>) found`);
    byService.set(service, reads);
    for (const r of reads) all.add(r);
  }
  return { byService, all, schemaOf, problems };
}

/** `${NAME...}` references in a compose value, with the default after `:-` / `-` when there is one. */
function interpolations(value: string): { name: string; def?: string; required: boolean }[] {
  return [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*)|(:?\?)[^}]*)?\}/g)].map((m) => ({
    name: m[1],
    def: m[2] !== undefined ? m[3] : undefined,
    required: m[4] !== undefined,
  }));
}

/** The value a schema gives `name` for an environment (undefined when it refuses it). */
function parsed(schema: Schema, name: string, env: Record<string, string>): { ok: boolean; value?: unknown } {
  const r = schema.safeParse(env);
  if (r.success) return { ok: true, value: (r.data as Record<string, unknown>)[name] };
  return { ok: !r.error.issues.some((i) => i.path[0] === name) };
}

export interface EnvFiles {
  /** docker-compose.yml as written (the interpolations unexpanded) */
  compose: string;
  envExample: string;
  /** every YAML file of infra/k8s, by path */
  k8s: Record<string, string>;
}

export function readEnvFiles(root: string): EnvFiles {
  const k8s: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) k8s[relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(join(root, 'infra', 'k8s'));
  return {
    compose: readFileSync(join(root, 'docker-compose.yml'), 'utf8'),
    envExample: readFileSync(join(root, 'infra', '.env.example'), 'utf8'),
    k8s,
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every problem of docker-compose.yml, infra/.env.example and infra/k8s against what the code reads. */
export function checkEnvCoverage(reads: ConfigReads, files: EnvFiles): string[] {
  const problems = [...reads.problems];
  const known = (name: string) => reads.all.has(name) || name in RUNTIME_VARIABLES;

  // ---- docker-compose.yml
  const compose = parseDocument(files.compose, { merge: true }).toJS() as Obj;
  const services = isObj(compose.services) ? compose.services : {};
  const fromDotEnv = new Set<string>();
  for (const [service, reading] of reads.byService) {
    const def = services[service];
    if (!isObj(def)) {
      problems.push(`docker-compose.yml: no service ${service}`);
      continue;
    }
    const env = isObj(def.environment) ? def.environment : {};
    for (const name of [...reading].sort()) {
      const skip = NOT_PASSED_BY_COMPOSE[name];
      if (skip && (!skip.services || skip.services.includes(service))) continue;
      if (!(name in env)) problems.push(`docker-compose.yml: ${service} reads ${name}, which compose does not pass (add it, or to NOT_PASSED_BY_COMPOSE with why)`);
    }
    const schema = reads.schemaOf.get(service);
    for (const [name, raw] of Object.entries(env)) {
      if (!known(name) && !name.startsWith('OTEL_')) problems.push(`docker-compose.yml: ${service} sets ${name}, which nothing reads`);
      if (typeof raw !== 'string') continue;
      for (const ref of interpolations(raw)) {
        fromDotEnv.add(ref.name);
        // `${X:-default}` of the variable itself: the default is the service's own (an empty one: unset)
        if (ref.name !== name || ref.required || !schema || !(name in schema.shape) || name in COMPOSE_OWN_DEFAULTS) continue;
        if (ref.def === undefined) {
          problems.push(`docker-compose.yml: ${service} ${name}: give \${${name}:-<the service's default>}`);
          continue;
        }
        const given = parsed(schema, name, { [name]: ref.def });
        const own = parsed(schema, name, {});
        if (!given.ok) problems.push(`docker-compose.yml: ${service} ${name}: the default "${ref.def}" is refused by the service`);
        else if (JSON.stringify(given.value) !== JSON.stringify(own.value))
          problems.push(`docker-compose.yml: ${service} ${name}: the default "${ref.def}" is not the service's own (${JSON.stringify(own.value)})`);
      }
    }
  }
  // each service accepts the environment compose gives it when .env sets nothing (a random TOKEN_SECRET)
  for (const [service, schema] of reads.schemaOf) {
    const def = services[service];
    if (!isObj(def) || !isObj(def.environment)) continue;
    const env = Object.fromEntries(
      Object.entries(def.environment).map(([k, v]) => [
        k,
        String(v ?? '').replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*)|:?\?[^}]*)?\}/g, (_m, _n: string, dash?: string, d?: string) =>
          dash !== undefined ? (d ?? '') : randomBytes(32).toString('hex'),
        ),
      ]),
    );
    const r = schema.safeParse(env);
    if (!r.success)
      for (const i of r.error.issues) problems.push(`docker-compose.yml: ${service} refuses ${i.path.join('.')}="${env[String(i.path[0])] ?? ''}": ${i.message}`);
  }
  for (const [service, def] of Object.entries(services)) {
    if (!isObj(def)) continue;
    for (const v of Object.values(isObj(def.environment) ? def.environment : {}))
      if (typeof v === 'string') for (const ref of interpolations(v)) fromDotEnv.add(ref.name);
    for (const v of [def.image, def.ports, def.command].flat())
      if (typeof v === 'string') for (const ref of interpolations(v)) fromDotEnv.add(ref.name);
    void service;
  }

  // ---- infra/.env.example
  const settable = new Set<string>();
  const documented = new Set<string>();
  for (const line of files.envExample.split('\n')) {
    const m = /^#?\s*([A-Z][A-Z0-9_]*)([=:])/.exec(line);
    if (!m) continue;
    (m[2] === '=' ? settable : documented).add(m[1]);
  }
  for (const name of [...reads.all].sort()) {
    if (name in NOT_IN_ENV_EXAMPLE) continue;
    if (!settable.has(name) && !documented.has(name))
      problems.push(`infra/.env.example: ${name} is read by the services but not listed (add it, or to NOT_IN_ENV_EXAMPLE with why)`);
  }
  for (const name of [...documented].sort())
    if (!settable.has(name) && !known(name)) problems.push(`infra/.env.example: documents ${name}, which nothing reads`);
  for (const name of [...fromDotEnv].sort())
    if (!settable.has(name)) problems.push(`infra/.env.example: docker-compose.yml takes ${name} from .env; list it as ${name}= or # ${name}=`);
  for (const name of [...settable].sort()) {
    if (!fromDotEnv.has(name))
      problems.push(`infra/.env.example: ${name}= suggests .env sets it, but docker-compose.yml never reads it (document it as "# ${name}: …")`);
  }

  // ---- infra/k8s
  const setBy = new Map<string, Set<string>>();
  const configMaps = new Map<string, string[]>();
  const containers: { file: string; service: string; env: string[]; from: { configMap?: string; secret?: string }[] }[] = [];
  for (const [file, text] of Object.entries(files.k8s)) {
    for (const d of parseAllDocuments(text)) {
      const doc = d.toJS() as unknown;
      if (!isObj(doc)) continue;
      const name = isObj(doc.metadata) ? String(doc.metadata.name) : '';
      if ((doc.kind === 'ConfigMap' && isObj(doc.data)) || (doc.kind === 'Secret' && (isObj(doc.stringData) || isObj(doc.data)))) {
        const keys = Object.keys((doc.kind === 'ConfigMap' ? doc.data : (doc.stringData ?? doc.data)) as Obj);
        configMaps.set(`${doc.kind}/${name}`, keys);
        for (const k of keys) if (!known(k)) problems.push(`${file}: ${doc.kind} ${name} sets ${k}, which nothing reads`);
      }
      const spec = isObj(doc.spec) ? doc.spec : undefined;
      const podSpec = isObj(spec?.template) && isObj(spec.template.spec) ? spec.template.spec : undefined;
      const list = podSpec && Array.isArray(podSpec.containers) ? (podSpec.containers as unknown[]).filter(isObj) : [];
      for (const c of list) {
        const args = Array.isArray(c.args) ? c.args.map(String) : [];
        const service = (args.find((a) => a.startsWith('services/')) ?? '').slice('services/'.length);
        const env = Array.isArray(c.env) ? c.env.filter(isObj).map((e) => String(e.name)) : [];
        for (const e of env) if (!known(e) && !e.startsWith('OTEL_')) problems.push(`${file}: ${c.name} sets ${e}, which nothing reads`);
        const from = (Array.isArray(c.envFrom) ? c.envFrom.filter(isObj) : []).map((f) => ({
          configMap: isObj(f.configMapRef) ? String(f.configMapRef.name) : undefined,
          secret: isObj(f.secretRef) ? String(f.secretRef.name) : undefined,
        }));
        containers.push({ file, service: service === 'cli' ? 'migrate' : service, env, from });
      }
    }
  }
  for (const c of containers) {
    const has = new Set(c.env);
    for (const f of c.from) {
      for (const k of (f.configMap ? configMaps.get(`ConfigMap/${f.configMap}`) : undefined) ?? []) has.add(k);
      for (const k of (f.secret ? configMaps.get(`Secret/${f.secret}`) : undefined) ?? []) has.add(k);
    }
    setBy.set(c.service, has);
    for (const name of [...(K8S_REQUIRED['*'] ?? []), ...(K8S_REQUIRED[c.service] ?? [])])
      if (!has.has(name)) problems.push(`${c.file}: ${c.service || 'a container'} gets no ${name}`);
  }
  for (const service of Object.keys(K8S_REQUIRED))
    if (service !== '*' && !setBy.has(service)) problems.push(`infra/k8s: no Deployment runs services/${service}`);
  return problems;
}
