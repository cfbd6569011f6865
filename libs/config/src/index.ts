export * from './config';
export * from './trust-proxy';
export * from './token-secret';
