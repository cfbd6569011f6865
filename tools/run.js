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
process.argv = [process.argv[0], entry, ...args];
require(entry);
