// README screenshots of the reader's pages: `npm run screenshots` writes docs/screenshots/daily-papers.png
// and docs/screenshots/paper-page.png from a scratch schema seeded with the captured HF day (see
// reader-fixture.ts), served by the api in-process and shot with the same headless Chromium as the e2e tests.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, createTestDb, launchChromium, uniqueName } from '@paperwire/testing';
import { createTestApp } from '../../services/api/src/testing/app';
import { HF_DAY, VERSIONED_ARXIV, seedReaderCatalogue } from './reader-fixture';

const MAX_BYTES = 200 * 1024;

async function main(): Promise<void> {
  const out = join(REPO_ROOT, 'docs', 'screenshots');
  mkdirSync(out, { recursive: true });
  const db = await createTestDb('shots');
  const app = await createTestApp(db, `{${uniqueName('shots')}}`, { RATE_LIMIT_PER_MINUTE: '100000' }, { listen: true });
  const browser = await launchChromium();
  try {
    await seedReaderCatalogue(db.ds);
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const page = await browser.newPage({ viewport: { width: 1100, height: 860 } });
    const shots: [string, string, (() => Promise<void>)?][] = [
      ['daily-papers.png', `/?date=${HF_DAY}`, async () => void (await page.locator('#h-list').scrollIntoViewIfNeeded())],
      [
        'paper-page.png',
        `/papers/${VERSIONED_ARXIV}`,
        async () => {
          await page.locator('[data-testid="abstract"]').scrollIntoViewIfNeeded();
          await page.getByTestId('claim-mark').nth(1).focus();
        },
      ],
    ];
    for (const [file, path, prepare] of shots) {
      await page.goto(`${base}${path}`, { waitUntil: 'load' });
      if (prepare) await prepare();
      const target = join(out, file);
      await page.screenshot({ path: target, fullPage: false });
      const size = statSync(target).size;
      process.stdout.write(`${JSON.stringify({ file: `docs/screenshots/${file}`, bytes: size })}\n`);
      if (size > MAX_BYTES) throw new Error(`${file} is ${size} bytes, over ${MAX_BYTES}`);
    }
  } finally {
    await browser.close();
    await app.close();
    await db.drop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
