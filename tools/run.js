#!/usr/bin/env node
'use strict';
// Runs a compiled entry point: `node tools/run.js services/fetcher [args]` runs
// dist/services/fetcher/src/main.js; `node tools/run.js tools/eval/x` runs dist/tools/eval/x.js.
require('./paths');
const path = require('path');
const fs = require('fs');

const [target, ...args] = process.argv.slice(2);
if (!target) {
  process.stderr.write('usage: node tools/run.js <services/NAME | tools/PATH> [args]\n');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const candidates = [
  path.join(root, 'dist', target, 'src', 'main.js'),
  path.join(root, 'dist', `${target}.js`),
];
const entry = candidates.find((c) => fs.existsSync(c));
if (!entry) {
  process.stderr.write(`paperwire: ${target} is not built (looked for ${candidates.join(', ')}); run "npm run build" first\n`);
  process.exit(2);
}
// PAPERWIRE_CPU_PROF_DIR=dir writes a V8 CPU profile of this process there when it exits (the bench's
// "where the time goes"; --cpu-prof cannot be passed through NODE_OPTIONS).
if (process.env.PAPERWIRE_CPU_PROF_DIR) {
  const inspector = require('inspector');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // An in-thread session answers synchronously, so the profile is written before the process ends.
    session.post('Profiler.stop', (err, res) => {
      if (err) return;
      const name = `${target.replace(/\W+/g, '-')}-${process.pid}.cpuprofile`;
      fs.mkdirSync(process.env.PAPERWIRE_CPU_PROF_DIR, { recursive: true });
      fs.writeFileSync(path.join(process.env.PAPERWIRE_CPU_PROF_DIR, name), JSON.stringify(res.profile));
    });
  };
  process.on('exit', write);
  // Services end by re-raising SIGTERM after their shutdown hooks, which skips 'exit': profile up to the signal.
  const onTerm = () => {
    process.off('SIGTERM', onTerm);
    write();
  };
  process.on('SIGTERM', onTerm);
}
process.argv = [process.argv[0], entry, ...args];
require(entry);
