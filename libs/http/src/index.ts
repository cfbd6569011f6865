export * from './fetch-with-retry';
export * from './http-error';
export { isPublicAddress, isPublicIPv4, isPublicIPv6, parseIPv4, parseIPv6 } from './ip-address';
export * from './politeness-gate';
export * from './retry-policy';
export * from './safe-fetch';
export {
  assertPublicUrl,
  checkUrl,
  parseHttpUrl,
  reservedHostName,
  systemLookup,
  type CheckedTarget,
  type GuardOptions,
  type LookupFn,
  type ResolvedAddress,
} from './ssrf-guard';
