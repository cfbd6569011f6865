/**
 * The data source the api reads from: a streaming replica when DATABASE_READ_URL is set, else the
 * primary (DATA_SOURCE). Writes, and reads that must see the request's own writes (a subscription
 * just created, an API key check), stay on DATA_SOURCE.
 */
export const READ_DATA_SOURCE = Symbol('READ_DATA_SOURCE');
