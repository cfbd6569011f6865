export * from './config';
export * from './token-secret';
