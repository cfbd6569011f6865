#!/usr/bin/env node
'use strict';
// `npm run paperwire -- <command>`: builds when the compiled CLI is missing or stale, then runs it.
const { execFileSync } = require('child_process');
const path = require('path');
const fs = require('fs');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'services', 'cli', 'src', 'main.js');
if (!fs.existsSync(entry) || process.env.PAPERWIRE_BUILD === '1') {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
process.argv = [process.argv[0], path.join(__dirname, 'run.js'), 'services/cli', ...process.argv.slice(2)];
require('./run.js');
