import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { REPO_ROOT } from '@paperwire/testing';
import {
  OPENAPI_FILE,
  buildStaticOpenApiDocument,
  serializeOpenApiDocument,
} from '../../services/api/src/openapi/static-document';

// Writes docs/openapi.json from the api's decorators without starting a server;
// `--check` exits 1 when the committed file is out of date instead.
async function main(): Promise<void> {
  const file = join(REPO_ROOT, OPENAPI_FILE);
  const doc = await buildStaticOpenApiDocument();
  if (process.argv.includes('--check')) {
    let current: unknown;
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // missing or not JSON: out of date
    }
    // Compared as JSON, so reformatting the file (prettier) does not count as a change.
    if (!isDeepStrictEqual(current, JSON.parse(serializeOpenApiDocument(doc)))) {
      process.stderr.write(`${OPENAPI_FILE} is out of date: run npm run openapi:export\n`);
      process.exit(1);
    }
    process.stdout.write(`${OPENAPI_FILE} is up to date\n`);
    return;
  }
  writeFileSync(file, serializeOpenApiDocument(doc));
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
