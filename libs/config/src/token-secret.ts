import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// TOKEN_SECRET signs unsubscribe / confirmation links, Bull Board sessions and CSRF tokens
// (SECURITY.md). Outside development and test it must be set, long and not one of the public values;
// in development and test an unset secret is generated once per install under .paperwire/.

/** Shortest accepted secret, in bytes (UTF-8): 32 bytes, e.g. `openssl rand -hex 32` (64 hex chars). */
export const MIN_TOKEN_SECRET_BYTES = 32;
/** The file under the local state directory that holds the generated development secret. */
export const DEV_TOKEN_SECRET_FILE = 'token-secret';

// Values that were public at some point (repository defaults, templates, examples) or look like a
// placeholder; none of them is accepted anywhere.
const KNOWN_PUBLIC = new Set(['dev-only-token-secret-change-me', 'change-me-to-32-random-bytes-hex']);
const PLACEHOLDER = /replace[-_ ]?me|change[-_ ]?me|changeit|example|placeholder|your[-_ ]?secret|^(secret|password|token)/i;

/** Why a configured secret is refused, or null when it is acceptable. */
export function tokenSecretProblem(name: string, value: string): string | null {
  if (KNOWN_PUBLIC.has(value.trim()) || PLACEHOLDER.test(value))
    return `${name} is a published default or a template placeholder; generate one with: openssl rand -hex 32`;
  if (Buffer.byteLength(value, 'utf8') < MIN_TOKEN_SECRET_BYTES)
    return `${name} must be at least ${MIN_TOKEN_SECRET_BYTES} bytes (openssl rand -hex 32 gives 64 characters)`;
  if (new Set(value).size < 8) return `${name} has too few distinct characters to be random`;
  return null;
}

/** The local state directory: PAPERWIRE_STATE_DIR, else `.paperwire/` at the repository root. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PAPERWIRE_STATE_DIR) return resolve(env.PAPERWIRE_STATE_DIR);
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'package.json'))) return join(dir, '.paperwire');
    const up = dirname(dir);
    if (up === dir) return join(process.cwd(), '.paperwire');
    dir = up;
  }
}

/**
 * The per-install development secret: 32 random bytes (hex) created once in `<state>/token-secret`
 * (mode 0600) and read back afterwards. Concurrent first starts agree: the file is written under a
 * temporary name and hard-linked into place, so a reader never sees it half written and only one
 * writer wins.
 */
export function devTokenSecret(dir: string): string {
  const file = join(dir, DEV_TOKEN_SECRET_FILE);
  const read = (): string | null => {
    try {
      const v = readFileSync(file, 'utf8').trim();
      return tokenSecretProblem('dev token secret', v) ? null : v;
    } catch {
      return null;
    }
  };
  const existing = read();
  if (existing) return existing;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (err) {
    // Someone else won the race (EEXIST), or a bad file is in the way: replace a bad one.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!read()) {
      unlinkSync(file);
      linkSync(tmp, file);
    }
  } finally {
    unlinkSync(tmp);
  }
  chmodSync(file, 0o600);
  const v = read();
  if (!v) throw new Error(`could not create the development token secret in ${file}`);
  return v;
}

export interface TokenSecrets {
  TOKEN_SECRET: string;
  TOKEN_SECRET_PREVIOUS?: string;
}

/**
 * Resolves TOKEN_SECRET / TOKEN_SECRET_PREVIOUS after schema parsing. Returns the problems (each
 * naming its variable) instead of throwing, so loadConfig reports them with every other bad variable.
 */
export function resolveTokenSecrets(
  parsed: { NODE_ENV: string; TOKEN_SECRET: string; TOKEN_SECRET_PREVIOUS?: string },
  env: NodeJS.ProcessEnv,
): { secrets?: TokenSecrets; problems: string[] } {
  const problems: string[] = [];
  const relaxed = parsed.NODE_ENV === 'development' || parsed.NODE_ENV === 'test';
  let current = parsed.TOKEN_SECRET;
  if (!current) {
    if (!relaxed) {
      problems.push(
        `TOKEN_SECRET: required when NODE_ENV=${parsed.NODE_ENV} (at least ${MIN_TOKEN_SECRET_BYTES} random bytes; openssl rand -hex 32)`,
      );
    } else {
      current = devTokenSecret(stateDir(env));
    }
  } else {
    const p = tokenSecretProblem('TOKEN_SECRET', current);
    if (p) problems.push(`TOKEN_SECRET: ${p}`);
  }
  const previous = parsed.TOKEN_SECRET_PREVIOUS || undefined;
  if (previous) {
    const p = tokenSecretProblem('TOKEN_SECRET_PREVIOUS', previous);
    if (p) problems.push(`TOKEN_SECRET_PREVIOUS: ${p}`);
    else if (previous === current) problems.push('TOKEN_SECRET_PREVIOUS: must differ from TOKEN_SECRET');
  }
  if (problems.length > 0) return { problems };
  return { secrets: { TOKEN_SECRET: current, ...(previous ? { TOKEN_SECRET_PREVIOUS: previous } : {}) }, problems };
}

/** Every secret a signature may verify with: the current one first, then the previous one. */
export function verificationSecrets(config: TokenSecrets): string[] {
  return config.TOKEN_SECRET_PREVIOUS ? [config.TOKEN_SECRET, config.TOKEN_SECRET_PREVIOUS] : [config.TOKEN_SECRET];
}
