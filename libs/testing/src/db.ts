// The scratch schema of every int spec: made in @paperwire/db (test-db.ts), whose own specs use it too.
export { TEST_DATABASE_URL, createTestDb, uniqueName, type TestDb } from '@paperwire/db';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
