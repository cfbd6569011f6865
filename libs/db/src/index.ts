export * from './entities';
export * from './data-source';
export { MIGRATIONS } from './migrations';
export { CLAIM_TOPICS_FILL } from './migrations/1796060000000-claim-topics';
export * from './queries';
// test support (libs/db's own int specs use it; @paperwire/testing re-exports it)
export * from './test-db';
