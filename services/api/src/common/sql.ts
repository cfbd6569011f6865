export { returnedRows, UUID_RE, isUuid } from '@paperwire/db';
