import { join } from 'node:path';
import { checkEnvCoverage, configReads, readEnvFiles, type EnvFiles } from './env-coverage';

// docker-compose.yml, infra/.env.example and infra/k8s against the settings the services read (tools/infra/env-coverage.ts).

const root = join(__dirname, '..', '..');
const reads = configReads(root);
const files = readEnvFiles(root);

describe('settings reach the services and are documented', () => {
  it('docker-compose passes, .env.example lists and infra/k8s sets what the services read', () => {
    expect(checkEnvCoverage(reads, files)).toEqual([]);
  });

  it('reads each service’s schema and its sources', () => {
    expect(reads.problems).toEqual([]);
    expect([...reads.byService.get('api')!]).toEqual(expect.arrayContaining(['DATABASE_READ_URL', 'AUTH_FAILURE_LIMIT', 'TRUST_PROXY', 'OTEL_EXPORTER_OTLP_ENDPOINT']));
    expect([...reads.byService.get('notifier')!]).toEqual(expect.arrayContaining(['SMTP_FROM', 'WEBHOOK_MAX_FAILED_MESSAGES', 'DELIVERY_BACKOFF_MS']));
    expect([...reads.byService.get('fetcher')!]).toEqual(expect.arrayContaining(['FETCH_TIMEOUT_MS', 'RECONCILE_EVERY_SECONDS']));
    expect(reads.byService.get('fetcher')!.has('SMTP_FROM')).toBe(false);
    expect(reads.all.has('PAPERWIRE_STATE_DIR')).toBe(true);
  });

  const without = (f: EnvFiles, from: keyof Omit<EnvFiles, 'k8s'>, line: RegExp): EnvFiles => ({
    ...f,
    [from]: f[from].split('\n').filter((l) => !line.test(l)).join('\n'),
  });

  it('fails when compose does not pass a variable a service reads', () => {
    const problems = checkEnvCoverage(reads, without(files, 'compose', /^\s+SMTP_FROM:/));
    expect(problems).toContain('docker-compose.yml: notifier reads SMTP_FROM, which compose does not pass (add it, or to NOT_PASSED_BY_COMPOSE with why)');
  });

  it('fails when .env.example does not list a variable, or lists one compose never takes from .env as settable', () => {
    expect(checkEnvCoverage(reads, without(files, 'envExample', /^#?\s*BATCH_SIZE[=:]/))).toEqual(
      expect.arrayContaining([
        'infra/.env.example: BATCH_SIZE is read by the services but not listed (add it, or to NOT_IN_ENV_EXAMPLE with why)',
        'infra/.env.example: docker-compose.yml takes BATCH_SIZE from .env; list it as BATCH_SIZE= or # BATCH_SIZE=',
      ]),
    );
    const misleading = { ...files, envExample: `${files.envExample}\n# HOST=0.0.0.0\n` };
    expect(checkEnvCoverage(reads, misleading)).toContain(
      'infra/.env.example: HOST= suggests .env sets it, but docker-compose.yml never reads it (document it as "# HOST: …")',
    );
  });

  it('fails when a compose default is not the service’s own, or one the service refuses', () => {
    const drifted = { ...files, compose: files.compose.replace('${BATCH_SIZE:-100}', '${BATCH_SIZE:-50}') };
    expect(drifted.compose).not.toBe(files.compose);
    expect(checkEnvCoverage(reads, drifted)).toEqual(expect.arrayContaining([expect.stringMatching(/BATCH_SIZE: the default "50" is not the service's own \(100\)/)]));
    const refused = { ...files, compose: files.compose.replace('${AUTH_FAILURE_LIMIT:-50}', '${AUTH_FAILURE_LIMIT:-many}') };
    expect(refused.compose).not.toBe(files.compose);
    expect(checkEnvCoverage(reads, refused)).toContain('docker-compose.yml: api AUTH_FAILURE_LIMIT: the default "many" is refused by the service');
  });

  it('fails when compose gives a service a value it refuses', () => {
    const bad = { ...files, compose: files.compose.replace("QUEUE_PREFIX: '{pw}'", "QUEUE_PREFIX: 'a:b'") };
    expect(bad.compose).not.toBe(files.compose);
    expect(checkEnvCoverage(reads, bad)).toEqual(expect.arrayContaining([expect.stringMatching(/^docker-compose.yml: fetcher refuses QUEUE_PREFIX="a:b"/)]));
  });

  it('fails when infra/k8s sets a name nothing reads, or leaves the api without TRUST_PROXY', () => {
    const api = 'infra/k8s/api.yaml';
    const noProxy = { ...files, k8s: { ...files.k8s, [api]: files.k8s[api].replace(/- name: TRUST_PROXY\n\s+value: '1'\n/, '') } };
    expect(noProxy.k8s[api]).not.toBe(files.k8s[api]);
    expect(checkEnvCoverage(reads, noProxy)).toContain(`${api}: api gets no TRUST_PROXY`);
    const typo = { ...files, k8s: { ...files.k8s, 'infra/k8s/configmap.yaml': `${files.k8s['infra/k8s/configmap.yaml']}  BACTH_SIZE: '100'\n` } };
    expect(checkEnvCoverage(reads, typo)).toContain('infra/k8s/configmap.yaml: ConfigMap paperwire-config sets BACTH_SIZE, which nothing reads');
  });
});
