export * from './pipeline';
export * from './topics';
export * from './sql';
export * from './api-keys';
export * from './trending';
export * from './read-model';
