export { SqlParams } from '@paperwire/db';
