'use strict';
// Resolves @paperwire/<lib> to the compiled lib in dist/ at run time, mirroring the
// "paths" of tsconfig.base.json (tsc does not rewrite import specifiers).
const Module = require('module');
const path = require('path');

const root = path.resolve(__dirname, '..');
const original = Module._resolveFilename;
Module._resolveFilename = function resolve(request, ...rest) {
  if (request.startsWith('@paperwire/')) {
    const lib = request.slice('@paperwire/'.length);
    return original.call(this, path.join(root, 'dist', 'libs', lib, 'src', 'index.js'), ...rest);
  }
  return original.call(this, request, ...rest);
};
