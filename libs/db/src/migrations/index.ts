import type { MigrationInterface } from 'typeorm';
import { Initial1795531868078 } from './1795531868078-initial';

export const MIGRATIONS: (new () => MigrationInterface)[] = [Initial1795531868078];
