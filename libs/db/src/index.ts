export * from './entities';
export * from './data-source';
export { MIGRATIONS } from './migrations';
export * from './queries';
// test support (libs/db's own int specs use it; @paperwire/testing re-exports it)
export * from './test-db';
