export * from './errors';
export * from './claims';
export * from './papers';
export * from './topics';
