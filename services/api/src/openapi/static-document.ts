import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@paperwire/config';
import { apiServiceEnvSchema } from '../api-config';
import { ApiModule } from '../api.module';
import { openApiDocument } from './openapi-document';

/** Where the committed document lives, relative to the repository root. */
export const OPENAPI_FILE = 'docs/openapi.json';

/**
 * The api's OpenAPI document with the default settings, built from the module graph in Nest's preview
 * mode: no provider is instantiated, so no database, Redis or port is touched.
 */
export async function buildStaticOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig(apiServiceEnvSchema, { NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(ApiModule.forRoot(config), {
    logger: false,
    preview: true,
    abortOnError: false,
  });
  try {
    return openApiDocument(app, config);
  } finally {
    await app.close();
  }
}

export const serializeOpenApiDocument = (doc: OpenAPIObject): string => `${JSON.stringify(doc, null, 2)}\n`;
