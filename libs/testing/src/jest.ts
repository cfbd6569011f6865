// Hooks for int specs; they call Jest's beforeAll/afterAll, so they live apart from the index (which
// code outside Jest imports too) behind their own path: `@paperwire/testing/jest`.
import { afterAll, beforeAll } from '@jest/globals';
import { createTestDb, type TestDb } from './db';
import { createTestStores, type TestStores } from './stores';

/**
 * Opens a resource before all tests of the enclosing `describe` and closes it after all of them; the
 * returned function gives the resource (and throws if called before the `beforeAll` ran).
 */
export function useBeforeAll<T>(what: string, open: () => Promise<T>, close: (resource: T) => Promise<void>): () => T {
  let resource: T | undefined;
  beforeAll(async () => {
    resource = await open();
  });
  afterAll(async () => {
    if (resource !== undefined) await close(resource);
  });
  return () => {
    if (resource === undefined) throw new Error(`${what} is used before its beforeAll ran`);
    return resource;
  };
}

/** The describe's own migrated Postgres schema (createTestDb), dropped after all its tests. */
export const useTestDb = (name: string): (() => TestDb) =>
  useBeforeAll(`test db ${name}`, () => createTestDb(name), (db) => db.drop());

/** The describe's own schema and queue prefix (createTestStores), closed after all its tests. */
export const useTestStores = (name: string): (() => TestStores) =>
  useBeforeAll(`test stores ${name}`, () => createTestStores(name), (stores) => stores.close());
