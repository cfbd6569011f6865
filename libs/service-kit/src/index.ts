export * from './tokens';
export * from './metrics';
export * from './health';
export * from './logger';
export * from './core.module';
export * from './bootstrap';
export * from './stage-worker';
export * from './bull';
