export * from './db';
export * from './processes';
export * from './webhook-receiver';
export * from './replay-server';
export * from './browser';
export * from './scratch-postgres';
export * from './seed';
export * from './smtp-inbox';
