#!/usr/bin/env node
'use strict';
// Structural checks for infra/ that no off-the-shelf validator here covers: Kubernetes manifests and
// KEDA ScaledObjects, the Grafana dashboard, the OTel collector pipelines, the compose file's scaling
// rules, that every paperwire_* metric used anywhere is documented in infra/METRICS.md, and that every setting the
// services read is passed by docker-compose and listed in infra/.env.example (tools/infra/env-coverage.ts).
// PromQL in the dashboard and in KEDA triggers is parsed by `promtool check rules`.
// Usage: node infra/scripts/check-infra.js [--compose-config <file with `docker-compose config` output>]
// Exits 1 and lists every problem when anything is wrong.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

let YAML;
try {
  YAML = require('yaml');
} catch {
  process.stderr.write('check-infra: the "yaml" npm package is missing (npm ci, or npm install -D yaml)\n');
  process.exit(2);
}

const root = path.resolve(__dirname, '..', '..');
const rel = (p) => path.relative(root, p);
const problems = [];
const fail = (where, msg) => problems.push(`${where}: ${msg}`);
let checks = 0;
const ok = (cond, where, msg) => {
  checks += 1;
  if (!cond) fail(where, msg);
  return Boolean(cond);
};

// The service list and each service's V8 flags come from libs/config (compiled: `npx tsc -b tsconfig.build.json`),
// so a manifest cannot drift from what the bench, the e2e harness and `paperwire up` run.
const configJs = path.join(root, 'dist', 'libs', 'config', 'src', 'config.js');
if (!fs.existsSync(configJs)) {
  process.stderr.write(`check-infra: ${rel(configJs)} is missing: build first (npx tsc -b tsconfig.build.json)\n`);
  process.exit(1);
}
const { SERVICES, WORKER_SERVICES, serviceNodeFlags } = require(configJs);
// The sweeper is not a stage: one replica, no ScaledObject (its schedule runs once per period anyway).
const STAGES = WORKER_SERVICES.filter((s) => s !== 'sweeper');
// The queues each service consumes, read from its code: the queue of every `@StageProcessor(QUEUES.x)`
// in services/<name>/src (a KEDA trigger on a queue the service does not consume, or a consumed queue
// without a trigger, is a finding).
const { ALL_QUEUES } = require(path.join(root, 'dist', 'libs', 'contracts', 'src', 'queues.js'));
function consumedQueues(service) {
  const dir = path.join(root, 'services', service, 'src');
  const queues = new Set();
  if (!fs.existsSync(dir)) return [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.ts') || /\.(int-)?spec\.ts$/.test(f)) continue;
    for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/@StageProcessor\(\s*QUEUES\.(\w+)/g)) {
      if (!ok(ALL_QUEUES.includes(m[1]), `services/${service}/src/${f}`, `@StageProcessor names an unknown queue ${m[1]}`)) continue;
      queues.add(m[1]);
    }
  }
  return [...queues].sort();
}
const STAGE_QUEUES = Object.fromEntries(STAGES.map((s) => [s, consumedQueues(s)]));
for (const s of STAGES) ok(STAGE_QUEUES[s].length > 0, `services/${s}`, 'consumes no queue (no @StageProcessor(QUEUES.x) found)');

function loadYamlDocs(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const out = [];
  for (const d of docs) {
    if (d.errors && d.errors.length) {
      fail(rel(file), `YAML error: ${d.errors[0].message}`);
      continue;
    }
    const v = d.toJSON();
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

function walk(dir, pred) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, pred));
    else if (pred(p)) out.push(p);
  }
  return out.sort();
}

/** Kubernetes quantity to bytes (memory) or cores (cpu). */
function quantity(q) {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q));
  if (!m) return NaN;
  const mult = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Number(m[1]) * (m[2] ? mult[m[2]] : 1);
}

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KINDS = {
  Namespace: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  Job: 'batch/v1',
  ScaledObject: 'keda.sh/v1alpha1',
  PodMonitor: 'monitoring.coreos.com/v1',
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
};

// ---------------------------------------------------------------- Kubernetes
function checkK8s(promExprs) {
  const dir = path.join(root, 'infra', 'k8s');
  const files = walk(dir, (p) => /\.ya?ml$/.test(p));
  const all = [];
  for (const f of files) for (const doc of loadYamlDocs(f)) all.push({ file: rel(f), doc });

  for (const { file, doc } of all) {
    const where = `${file} ${doc.kind || '?'}/${(doc.metadata && doc.metadata.name) || '?'}`;
    ok(typeof doc.kind === 'string' && KINDS[doc.kind], where, `unknown or missing kind ${doc.kind}`);
    ok(doc.apiVersion === KINDS[doc.kind], where, `apiVersion ${doc.apiVersion}, expected ${KINDS[doc.kind]}`);
    if (doc.kind !== 'Kustomization') {
      ok(doc.metadata && DNS1123.test(doc.metadata.name || ''), where, 'metadata.name missing or not DNS-1123');
    }
  }
  const byKind = (k) => all.filter((x) => x.doc.kind === k);
  const configMaps = new Map(byKind('ConfigMap').map((x) => [x.doc.metadata.name, x.doc]));
  const secrets = new Map(byKind('Secret').map((x) => [x.doc.metadata.name, x.doc]));
  const deployments = new Map(byKind('Deployment').map((x) => [x.doc.metadata.name, x]));

  // Secrets: only the template, and only placeholders in it.
  for (const { file, doc } of byKind('Secret')) {
    ok(/template/.test(file), file, 'a Secret outside a *.template.yaml file');
    for (const [k, v] of Object.entries(doc.stringData || {})) {
      ok(/REPLACE_ME/.test(String(v)), file, `${k} must be a REPLACE_ME placeholder, not a value`);
    }
    ok(!doc.data, file, 'use stringData placeholders, not base64 data');
  }

  const checkEnvRefs = (where, c) => {
    for (const ef of c.envFrom || []) {
      if (ef.configMapRef) ok(configMaps.has(ef.configMapRef.name), where, `envFrom configMap ${ef.configMapRef.name} not defined`);
      if (ef.secretRef) ok(secrets.has(ef.secretRef.name), where, `envFrom secret ${ef.secretRef.name} has no template`);
    }
    for (const e of c.env || []) {
      ok(typeof e.name === 'string' && ('value' in e ? typeof e.value === 'string' : e.valueFrom), where, `env ${e.name}: value must be a string`);
      const ref = e.valueFrom && (e.valueFrom.secretKeyRef || e.valueFrom.configMapKeyRef);
      if (ref) {
        const src = e.valueFrom.secretKeyRef ? secrets.get(ref.name) : configMaps.get(ref.name);
        const keys = src ? Object.keys(src.stringData || src.data || {}) : [];
        ok(keys.includes(ref.key), where, `env ${e.name} refers to missing key ${ref.name}/${ref.key}`);
      }
    }
  };
  const checkPodSecurity = (where, spec, c) => {
    ok(spec.securityContext && spec.securityContext.runAsNonRoot === true, where, 'pod must set runAsNonRoot: true');
    const sc = c.securityContext || {};
    ok(sc.allowPrivilegeEscalation === false, where, 'container must set allowPrivilegeEscalation: false');
    ok(sc.capabilities && (sc.capabilities.drop || []).includes('ALL'), where, 'container must drop ALL capabilities');
    ok(c.resources && c.resources.requests && c.resources.limits, where, 'resources.requests and limits required');
    const lim = (c.resources && c.resources.limits) || {};
    const req = (c.resources && c.resources.requests) || {};
    ok(quantity(lim.memory) > 0 && quantity(req.memory) > 0 && quantity(req.memory) <= quantity(lim.memory), where, 'memory request/limit missing or request > limit');
    ok(quantity(req.cpu) > 0, where, 'cpu request missing');
  };

  // Deployments
  for (const [name, { file, doc }] of deployments) {
    const where = `${file} Deployment/${name}`;
    const spec = doc.spec || {};
    const tpl = spec.template || {};
    const labels = (tpl.metadata && tpl.metadata.labels) || {};
    const sel = (spec.selector && spec.selector.matchLabels) || {};
    ok(Object.keys(sel).length > 0, where, 'selector.matchLabels empty');
    for (const [k, v] of Object.entries(sel)) ok(labels[k] === v, where, `selector ${k}=${v} does not match the pod labels`);
    const podSpec = tpl.spec || {};
    ok(podSpec.terminationGracePeriodSeconds === 30, where, 'terminationGracePeriodSeconds must be 30');
    const cs = podSpec.containers || [];
    ok(cs.length === 1, where, 'exactly one container expected');
    const c = cs[0] || {};
    ok(c.name && c.image, where, 'container name and image required');
    const ports = c.ports || [];
    ok(ports.length > 0 && ports.every((p) => Number.isInteger(p.containerPort) && p.containerPort > 0 && p.containerPort < 65536), where, 'containerPort missing or invalid');
    const portNames = new Map(ports.map((p) => [p.name, p.containerPort]));
    const probePort = (probe) => (probe && probe.httpGet ? probe.httpGet.port : undefined);
    for (const [pname, wantPath] of [['readinessProbe', '/readyz'], ['livenessProbe', '/healthz']]) {
      const p = c[pname];
      if (ok(p && p.httpGet, where, `${pname} with httpGet required`)) {
        ok(p.httpGet.path === wantPath, where, `${pname} path must be ${wantPath}`);
        const pp = probePort(p);
        ok(typeof pp === 'number' ? ports.some((x) => x.containerPort === pp) : portNames.has(pp), where, `${pname} port ${pp} is not a container port`);
      }
    }
    const ann = (tpl.metadata && tpl.metadata.annotations) || {};
    ok(ann['prometheus.io/scrape'] === 'true', where, 'prometheus.io/scrape annotation must be "true"');
    ok(ann['prometheus.io/path'] === '/metrics', where, 'prometheus.io/path must be /metrics');
    ok([...portNames.values()].includes(Number(ann['prometheus.io/port'])), where, 'prometheus.io/port is not a container port');
    const env = Object.fromEntries((c.env || []).map((e) => [e.name, e.value]));
    ok(ann['prometheus.io/port'] === String(env.METRICS_PORT ?? env.PORT ?? ann['prometheus.io/port']), where, 'prometheus.io/port must be METRICS_PORT (or PORT)');
    ok(env.PORT === undefined || [...portNames.values()].includes(Number(env.PORT)), where, `PORT=${env.PORT} differs from the container port`);
    ok(JSON.stringify(c.args || []) === JSON.stringify([`services/${name}`]), where, `args must be [services/${name}]`);
    checkEnvRefs(where, c);
    checkPodSecurity(where, podSpec, c);
    if (SERVICES.includes(name)) {
      const want = serviceNodeFlags(name).join(' ');
      ok(env.NODE_OPTIONS === want, where, `NODE_OPTIONS must be "${want}" (serviceNodeFlags in libs/config), not "${env.NODE_OPTIONS}"`);
    }
    if (STAGES.includes(name)) {
      ok(quantity(c.resources && c.resources.limits && c.resources.limits.memory) <= 256 * 1024 ** 2, where, 'stage memory limit must be <= 256Mi');
    }
  }
  for (const s of SERVICES) ok(deployments.has(s), 'infra/k8s', `no Deployment for ${s}`);

  // Services select an existing Deployment's pods, on a port it has.
  for (const { file, doc } of byKind('Service')) {
    const where = `${file} Service/${doc.metadata.name}`;
    const sel = (doc.spec && doc.spec.selector) || {};
    const target = [...deployments.values()].find(({ doc: d }) => {
      const l = d.spec.template.metadata.labels || {};
      return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => l[k] === v);
    });
    if (ok(target, where, 'selector matches no Deployment')) {
      const cports = target.doc.spec.template.spec.containers[0].ports || [];
      for (const p of doc.spec.ports || []) {
        ok(cports.some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort), where, `targetPort ${p.targetPort} not exposed by the pods`);
      }
    }
  }

  // Jobs
  const jobs = byKind('Job');
  ok(jobs.some(({ doc }) => JSON.stringify(doc.spec.template.spec.containers[0].args) === JSON.stringify(['services/cli', 'db', 'migrate'])), 'infra/k8s', 'no migrate Job running services/cli db migrate');
  for (const { file, doc } of jobs) {
    const where = `${file} Job/${doc.metadata.name}`;
    const ps = doc.spec.template.spec;
    ok(['Never', 'OnFailure'].includes(ps.restartPolicy), where, 'restartPolicy must be Never or OnFailure');
    checkEnvRefs(where, ps.containers[0]);
    checkPodSecurity(where, ps, ps.containers[0]);
  }

  // KEDA ScaledObjects: one per stage, each aimed at an existing Deployment, scaling on its queue(s).
  const scaled = new Map();
  for (const { file, doc } of byKind('ScaledObject')) {
    const where = `${file} ScaledObject/${doc.metadata.name}`;
    const spec = doc.spec || {};
    const ref = spec.scaleTargetRef || {};
    ok(ref.name && deployments.has(ref.name), where, `scaleTargetRef ${ref.name} names no Deployment`);
    ok(!ref.kind || ref.kind === 'Deployment', where, 'scaleTargetRef.kind must be Deployment');
    ok(!scaled.has(ref.name), where, `${ref.name} has two ScaledObjects`);
    scaled.set(ref.name, doc);
    ok(Number.isInteger(spec.minReplicaCount) && spec.minReplicaCount >= 1, where, 'minReplicaCount must be >= 1');
    ok(Number.isInteger(spec.maxReplicaCount) && spec.maxReplicaCount >= spec.minReplicaCount, where, 'maxReplicaCount must be >= minReplicaCount');
    const trig = spec.triggers || [];
    ok(trig.length > 0, where, 'no triggers');
    const queues = [];
    for (const t of trig) {
      const md = t.metadata || {};
      ok(t.type === 'prometheus', where, `trigger type ${t.type}, expected prometheus`);
      ok(/^https?:\/\/[^\s]+$/.test(md.serverAddress || ''), where, 'trigger serverAddress must be an http(s) URL');
      ok(typeof md.threshold === 'string' && Number(md.threshold) > 0, where, 'threshold must be a positive number in a string');
      ok(typeof md.query === 'string', where, 'trigger query missing');
      const q = /paperwire_queue_depth\{queue="([^"]+)",state="waiting"\}/.exec(md.query || '');
      if (ok(q, where, 'query must read paperwire_queue_depth{queue="…",state="waiting"}')) queues.push(q[1]);
      ok(!/\bsum\s*\(/.test(md.query || ''), where, 'every replica reports the same depth: aggregate with max, not sum');
      if (md.query) promExprs.push({ where, expr: md.query });
    }
    if (STAGE_QUEUES[ref.name]) {
      ok(JSON.stringify(queues.sort()) === JSON.stringify([...STAGE_QUEUES[ref.name]].sort()), where, `triggers on ${queues} but ${ref.name} consumes ${STAGE_QUEUES[ref.name]}`);
    }
  }
  for (const s of STAGES) ok(scaled.has(s), 'infra/k8s', `no ScaledObject for stage ${s}`);

  // kustomization: every resource exists, every applied manifest is listed, images are retagged.
  const kfile = path.join(dir, 'kustomization.yaml');
  const [k] = loadYamlDocs(kfile);
  if (ok(k && Array.isArray(k.resources), rel(kfile), 'resources list missing')) {
    for (const r of k.resources) ok(fs.existsSync(path.join(dir, r)), rel(kfile), `resource ${r} does not exist`);
    for (const f of files) {
      const r = path.relative(dir, f);
      if (r === 'kustomization.yaml' || /template/.test(r) || r.startsWith('optional/')) continue;
      ok(k.resources.includes(r), rel(kfile), `${r} is not listed in resources`);
    }
    ok(!k.resources.some((r) => /template/.test(r)), rel(kfile), 'the Secret template must not be applied');
    const imgs = new Set((k.images || []).map((i) => i.name));
    for (const [, { doc }] of deployments) {
      for (const c of doc.spec.template.spec.containers) ok(imgs.has(c.image), rel(kfile), `image ${c.image} not in images:`);
    }
  }
  return all.length;
}

// ---------------------------------------------------------------- Grafana
function checkGrafana(promExprs) {
  const file = path.join(root, 'infra', 'grafana', 'dashboards', 'paperwire.json');
  let dash;
  try {
    dash = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(rel(file), `not valid JSON: ${err.message}`);
    return 0;
  }
  const [dsFile] = walk(path.join(root, 'infra', 'grafana', 'provisioning', 'datasources'), (p) => /\.ya?ml$/.test(p));
  const [ds] = loadYamlDocs(dsFile);
  const uids = new Set((ds.datasources || []).map((d) => d.uid));
  const [dbp] = loadYamlDocs(walk(path.join(root, 'infra', 'grafana', 'provisioning', 'dashboards'), (p) => /\.ya?ml$/.test(p))[0]);
  ok(dbp && dbp.providers && dbp.providers.some((p) => p.options && p.options.path === '/var/lib/grafana/dashboards'), 'grafana provisioning', 'no dashboard provider for /var/lib/grafana/dashboards');
  ok(dash.uid && dash.title && Array.isArray(dash.panels), rel(file), 'uid, title and panels required');
  const ids = new Set();
  const vars = new Set(((dash.templating && dash.templating.list) || []).map((v) => v.name));
  const titles = [];
  for (const p of dash.panels || []) {
    const where = `${rel(file)} panel ${p.id} "${p.title}"`;
    ok(Number.isInteger(p.id) && !ids.has(p.id), where, 'panel id missing or duplicated');
    ids.add(p.id);
    const g = p.gridPos || {};
    ok(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0 && g.y >= 0, where, 'gridPos out of the 24-column grid');
    if (p.type === 'row') continue;
    titles.push(p.title);
    ok(p.datasource && uids.has(p.datasource.uid), where, `datasource uid ${p.datasource && p.datasource.uid} is not provisioned`);
    ok(Array.isArray(p.targets) && p.targets.length > 0, where, 'no targets');
    for (const t of p.targets || []) {
      ok(typeof t.expr === 'string' && t.expr.length > 0, where, `target ${t.refId} has no expr`);
      for (const m of (t.expr || '').matchAll(/\$(\w+)/g)) {
        ok(m[1].startsWith('__') || vars.has(m[1]), where, `expr uses undefined variable $${m[1]}`);
      }
      // Grafana variables and intervals are substituted so promtool can parse the PromQL.
      const expr = (t.expr || '').replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$(\w+)/g, '.*');
      promExprs.push({ where, expr });
    }
  }
  const must = [
    ['queue depth', /paperwire_queue_depth\b/],
    ['jobs/s', /rate\(paperwire_jobs_total/],
    ['p50', /histogram_quantile\(0\.5,.*paperwire_job_duration_seconds_bucket/],
    ['p95', /histogram_quantile\(0\.95,.*paperwire_job_duration_seconds_bucket/],
    ['papers per stage', /paperwire_papers_stage/],
    ['fetch outcomes', /paperwire_fetch_total/],
    ['deliveries', /paperwire_deliveries_total/],
    ['RSS', /process_resident_memory_bytes/],
    ['event-loop lag', /nodejs_eventloop_lag_seconds/],
  ];
  const exprs = promExprs.map((e) => e.expr).join('\n');
  for (const [what, re] of must) ok(re.test(exprs), rel(file), `no panel shows ${what}`);
  return titles.length;
}

// ---------------------------------------------------------------- OTel collector
function checkCollector() {
  const file = path.join(root, 'infra', 'otel', 'collector.yaml');
  const [c] = loadYamlDocs(file);
  const where = rel(file);
  if (!ok(c && c.service && c.service.pipelines, where, 'service.pipelines missing')) return;
  for (const [name, p] of Object.entries(c.service.pipelines)) {
    for (const section of ['receivers', 'processors', 'exporters']) {
      for (const id of p[section] || []) ok(c[section] && id in c[section], where, `pipeline ${name} uses undefined ${section} ${id}`);
    }
    ok((p.receivers || []).length && (p.exporters || []).length, where, `pipeline ${name} needs receivers and exporters`);
  }
  for (const id of c.service.extensions || []) ok(c.extensions && id in c.extensions, where, `undefined extension ${id}`);
  const traces = c.service.pipelines.traces;
  ok(traces && traces.exporters.some((e) => /jaeger/.test(String((c.exporters[e] || {}).endpoint))), where, 'traces must be exported to jaeger');
  ok(c.receivers.otlp && c.receivers.otlp.protocols && c.receivers.otlp.protocols.http && /:4318$/.test(c.receivers.otlp.protocols.http.endpoint), where, 'OTLP/HTTP receiver on :4318 required');
}

// ---------------------------------------------------------------- compose
function checkCompose(configFile, promExprs) {
  const [c] = loadYamlDocs(configFile);
  const where = 'docker-compose.yml';
  const svcs = (c && c.services) || {};
  for (const s of SERVICES) {
    const d = svcs[s];
    if (!ok(d, where, `service ${s} missing`)) continue;
    ok(!d.container_name, where, `${s} must not set container_name`);
    const env = Array.isArray(d.environment) ? Object.fromEntries(d.environment.map((e) => e.split('='))) : d.environment || {};
    ok(env.SERVICE === s || JSON.stringify(d.command) === JSON.stringify([`services/${s}`]), where, `${s} must run services/${s}`);
    ok(env.HOST === '0.0.0.0', where, `${s} must listen on HOST=0.0.0.0`);
    const flags = serviceNodeFlags(s).join(' ');
    ok(env.NODE_OPTIONS === flags, where, `${s} NODE_OPTIONS must be "${flags}" (serviceNodeFlags in libs/config), not "${env.NODE_OPTIONS}"`);
    ok(d.depends_on && d.depends_on.migrate && d.depends_on.migrate.condition === 'service_completed_successfully', where, `${s} must wait for migrate to complete`);
    ok(d.healthcheck === undefined || !d.healthcheck.disable, where, `${s} disables the image HEALTHCHECK`);
    if (STAGES.includes(s)) {
      ok(!d.ports || d.ports.length === 0, where, `${s} publishes host ports: --scale would clash`);
      ok(String(env.PORT) === '9464', where, `${s} must use PORT=9464`);
    }
    ok(/^postgres:\/\/.*@postgres:5432\//.test(env.DATABASE_URL || ''), where, `${s} DATABASE_URL must point at the postgres service`);
    ok(env.REDIS_URL === 'redis://redis:6379', where, `${s} REDIS_URL must point at the redis service`);
    ok(/^https?:\/\/(otel-collector|jaeger):4318$/.test(env.OTEL_EXPORTER_OTLP_ENDPOINT || ''), where, `${s} OTEL_EXPORTER_OTLP_ENDPOINT must be the collector`);
  }
  ok(svcs.migrate && JSON.stringify(svcs.migrate.command) === JSON.stringify(['services/cli', 'db', 'migrate']), where, 'migrate must run services/cli db migrate');
  ok(svcs.redis && /noeviction/.test(JSON.stringify(svcs.redis.command)) && /appendonly/.test(JSON.stringify(svcs.redis.command)), where, 'redis needs --appendonly yes --maxmemory-policy noeviction');
  ok(svcs.postgres && /pg_isready/.test(JSON.stringify(svcs.postgres.healthcheck)), where, 'postgres needs a pg_isready healthcheck');
  // Prometheus discovers exactly the compose services, on the ports they listen on.
  const [prom] = loadYamlDocs(path.join(root, 'infra', 'prometheus', 'prometheus.yml'));
  const job = (prom.scrape_configs || []).find((j) => j.job_name === 'paperwire');
  if (ok(job && job.dns_sd_configs, 'infra/prometheus/prometheus.yml', 'paperwire job with dns_sd_configs required')) {
    const found = new Map();
    for (const sd of job.dns_sd_configs) {
      ok(sd.type === 'A', 'infra/prometheus/prometheus.yml', 'dns_sd_configs must use type A (one record per replica)');
      for (const n of sd.names) found.set(n, sd.port);
    }
    for (const s of SERVICES) {
      const env = (svcs[s] && svcs[s].environment) || {};
      // A service with METRICS_PORT (the api) serves /metrics there, not on PORT.
      const metricsPort = env.METRICS_PORT ?? env.PORT;
      ok(found.has(s) && String(found.get(s)) === String(metricsPort), 'infra/prometheus/prometheus.yml', `${s} not scraped on its metrics port ${metricsPort}`);
    }
  }
  const rules = loadYamlDocs(path.join(root, 'infra', 'prometheus', 'alerts.yml'))[0];
  for (const g of rules.groups || []) for (const r of g.rules || []) promExprs.push({ where: `alerts.yml ${r.alert}`, expr: r.expr });
}

// ---------------------------------------------------------------- metric names
function checkMetricNames(promExprs) {
  const doc = fs.readFileSync(path.join(root, 'infra', 'METRICS.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/`(paperwire_[a-z_]+|process_[a-z_]+|nodejs_[a-z0-9_]+)`/g)].map((m) => m[1]));
  for (const { where, expr } of promExprs) {
    for (const m of expr.matchAll(/\b((?:paperwire|process|nodejs)_[a-z0-9_]+)/g)) {
      const name = m[1].replace(/_(bucket|sum|count)$/, '');
      ok(documented.has(name) || documented.has(m[1]), where, `metric ${m[1]} is not documented in infra/METRICS.md`);
    }
  }
  // The service code must define every paperwire_* metric the docs promise.
  const src = path.join(root, 'libs', 'service-kit', 'src', 'metrics.ts');
  if (fs.existsSync(src)) {
    const code = fs.readFileSync(src, 'utf8');
    for (const n of documented) if (n.startsWith('paperwire_')) ok(code.includes(`'${n}'`), rel(src), `${n} is documented but not defined`);
  }
}

function checkPromql(promExprs) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-promql-'));
  const file = path.join(tmp, 'exprs.yml');
  const rules = promExprs.map((e, i) => ({ record: `check:expr_${i}`, expr: e.expr }));
  fs.writeFileSync(file, YAML.stringify({ groups: [{ name: 'dashboard-and-keda', rules }] }));
  try {
    execFileSync('promtool', ['check', 'rules', file], { stdio: 'pipe' });
    checks += 1;
  } catch (err) {
    const out = `${err.stdout || ''}${err.stderr || ''}`.trim();
    // promtool names the failing record; map it back to the panel / trigger.
    const bad = [...new Set([...out.matchAll(/check:expr_(\d+)/g)].map((m) => Number(m[1])))].map((n) => promExprs[n]);
    fail('PromQL', `${out}\n    ${bad.map((e) => `${e.where}: ${e.expr}`).join('\n    ')}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- Dockerfile
/** .dockerignore pattern (Go filepath.Match-like, with **) to a RegExp. */
function ignoreRegex(pattern) {
  const p = pattern.replace(/^\/+|\/+$/g, '');
  let re = '';
  for (let i = 0; i < p.length; i += 1) {
    const ch = p[i];
    if (ch === '*' && p[i + 1] === '*') {
      re += '.*';
      i += 1;
      if (p[i + 1] === '/') i += 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A matched directory excludes everything below it.
  return new RegExp(`^${re}(/.*)?$`);
}

function dockerIgnored(file, rules) {
  let ignored = false;
  for (const { neg, re } of rules) if (re.test(file)) ignored = !neg;
  return ignored;
}

function checkDockerfile() {
  const file = path.join(root, 'infra', 'docker', 'Dockerfile');
  const where = rel(file);
  const text = fs.readFileSync(file, 'utf8').replace(/\\\n/g, ' ');
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const rules = fs
    .readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ neg: l.startsWith('!'), re: ignoreRegex(l.replace(/^!/, '')) }));
  const froms = lines.filter((l) => /^FROM\s/i.test(l));
  ok(froms.length >= 2, where, 'multi-stage build expected');
  ok(/ARG NODE_IMAGE=node:20-bookworm-slim/.test(text), where, 'base image must be node:20-bookworm-slim');
  const stages = froms.map((l) => (/\sAS\s+(\S+)/i.exec(l) || [])[1]);
  const lastStage = text.slice(text.lastIndexOf('\nFROM '));
  ok(/^USER\s+(node|[1-9]\d*)\b/m.test(lastStage), where, 'runtime stage must switch to a non-root USER');
  ok(/^HEALTHCHECK\s/m.test(lastStage) && /\/healthz/.test(lastStage), where, 'runtime stage needs a HEALTHCHECK on /healthz');
  ok(/npm ci[^\n]*--omit=dev/.test(text), where, 'runtime dependencies must be installed with npm ci --omit=dev');
  ok(/npm run build/.test(text), where, 'build stage must run npm run build');
  for (const l of lines.filter((x) => /^COPY\s/i.test(x))) {
    const parts = l.split(/\s+/).slice(1);
    const from = parts.find((x) => x.startsWith('--from='));
    if (from) {
      ok(stages.includes(from.slice(7)), where, `${l}: unknown stage`);
      continue;
    }
    const srcs = parts.filter((x) => !x.startsWith('--')).slice(0, -1);
    for (const src of srcs) {
      const matches = src.includes('*')
        ? fs.readdirSync(path.join(root, path.dirname(src))).filter((f) => ignoreRegex(path.basename(src)).test(f)).map((f) => path.join(path.dirname(src), f))
        : [src];
      ok(matches.length > 0 && matches.every((m) => fs.existsSync(path.join(root, m))), where, `${l}: ${src} does not exist`);
      for (const m of matches) ok(!dockerIgnored(m.replace(/^\.\//, ''), rules), '.dockerignore', `excludes ${m}, which the Dockerfile copies`);
    }
  }
  for (const needed of ['data', 'tools/run.js', 'tools/paths.js', 'package-lock.json', 'infra/docker/entrypoint.sh']) {
    ok(!dockerIgnored(needed, rules), '.dockerignore', `must not exclude ${needed}`);
  }
  for (const junk of ['node_modules', 'dist', '.git', '.env', 'libs/feeds/src/x.spec.ts']) {
    ok(dockerIgnored(junk, rules), '.dockerignore', `should exclude ${junk}`);
  }
}

// ---------------------------------------------------------------- settings
// Every setting a service reads is passed by docker-compose, listed in infra/.env.example and, where a cluster needs
// it, set by infra/k8s (tools/infra/env-coverage.ts, compiled; its allowlists say what is left out on purpose and why).
function checkSettings() {
  const coverageJs = path.join(root, 'dist', 'tools', 'infra', 'env-coverage.js');
  if (!ok(fs.existsSync(coverageJs), rel(coverageJs), 'missing: build first (npx tsc -b tsconfig.build.json)')) return;
  require(path.join(root, 'tools', 'paths'));
  const { checkEnvCoverage, configReads, readEnvFiles } = require(coverageJs);
  const found = checkEnvCoverage(configReads(root), readEnvFiles(root));
  ok(found.length === 0, 'settings', `${found.length} setting(s) not passed or not documented`);
  for (const p of found) problems.push(p);
}

function main() {
  const args = process.argv.slice(2);
  const i = args.indexOf('--compose-config');
  const composeConfig = i >= 0 ? args[i + 1] : null;
  const promExprs = [];
  const manifests = checkK8s(promExprs);
  const kedaExprs = promExprs.length;
  const panels = checkGrafana(promExprs);
  checkCollector();
  checkDockerfile();
  checkSettings();
  if (composeConfig) checkCompose(composeConfig, promExprs);
  checkMetricNames(promExprs);
  checkPromql(promExprs.filter((e) => !e.where.startsWith('alerts.yml')));
  if (problems.length) {
    process.stderr.write(`check-infra: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `structural checks: ${checks} passed (${manifests} k8s manifests, ${kedaExprs} KEDA triggers, ${panels} dashboard panels, ` +
      `${promExprs.length} PromQL expressions${composeConfig ? ', compose services' : ''})\n`,
  );
}

main();
