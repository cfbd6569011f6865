export * from './pipeline';
export * from './topics';
