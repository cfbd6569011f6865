export * from './paper';
export * from './queues';
export * from './jobs';
export * from './pipeline';
export * from './paper-id';
export * from './links';
export { errorClass } from './error-class';
export { sourceNameKey } from './source-name';
