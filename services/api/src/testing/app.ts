import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@paperwire/config';
import { TEST_REDIS_URL, recordContract, type TestDb } from '@paperwire/testing';
import { apiServiceEnvSchema } from '../api-config';
import { ApiModule } from '../api.module';
import { configureApiApp } from '../configure-app';
import { openApiDocument } from '../openapi/openapi-document';

/**
 * The api, in-process, on a test schema and queue prefix, with the same middleware stack as the
 * service (`configureApiApp`), its responses checked against its OpenAPI document (a mismatch fails
 * the test: libs/testing/src/contract-jest-setup.ts). `env` overrides the settings; `listen` binds a real port.
 */
export async function createTestApp(
  db: TestDb,
  prefix: string,
  env: Record<string, string> = {},
  opts: { listen?: boolean } = {},
): Promise<INestApplication> {
  const config = loadConfig(apiServiceEnvSchema, {
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    QUEUE_PREFIX: prefix,
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: 'silent',
    REDIS_REQUIRE_NOEVICTION: 'false',
    NODE_ENV: 'test',
    // Tests change rows and read them back at once: no shared response cache unless a test asks.
    API_CACHE_MS: '0',
    ...env,
  });
  const app = await NestFactory.create(ApiModule.forRoot(config), { logger: false });
  // First middleware: every response is checked against the document this app serves at /docs-json.
  app.use(recordContract(openApiDocument(app, config)));
  configureApiApp(app, config);
  if (opts.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  return app;
}
