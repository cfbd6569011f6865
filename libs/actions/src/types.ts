import type { DataSource, EntityManager } from 'typeorm';

/** What an action reads and writes through: a data source, or the manager of a transaction. */
export type Db = DataSource | EntityManager;
