import { ConfigError, apiEnvSchema, commonEnvSchema, fetcherEnvSchema, loadConfig, redactUrl } from './config';

describe('loadConfig', () => {
  it('fills local defaults', () => {
    const c = loadConfig(commonEnvSchema, {});
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/paperwire');
    expect(c.QUEUE_PREFIX).toBe('{pw}');
    expect(c.REDIS_REQUIRE_NOEVICTION).toBe(true);
  });

  it('lists every bad variable in one error', () => {
    expect(() => loadConfig(fetcherEnvSchema, { DATABASE_URL: 'nope', FETCH_TIMEOUT_MS: '-1', QUEUE_PREFIX: 'a:b' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: expect.stringMatching(/DATABASE_URL[\s\S]*QUEUE_PREFIX[\s\S]*FETCH_TIMEOUT_MS/),
      }),
    );
    expect(() => loadConfig(commonEnvSchema, { DATABASE_SCHEMA: 'Robert"); DROP' })).toThrow(ConfigError);
  });

  it('takes an empty setting without a default as unset (compose passes `X: ${X:-}`), and refuses a bad one', () => {
    const c = loadConfig(apiEnvSchema, { PORT: '', CONCURRENCY: '', METRICS_PORT: '' });
    expect([c.PORT, c.CONCURRENCY, c.METRICS_PORT]).toEqual([undefined, undefined, undefined]);
    expect(loadConfig(commonEnvSchema, { CONCURRENCY: '3' }).CONCURRENCY).toBe(3);
    expect(() => loadConfig(commonEnvSchema, { CONCURRENCY: '0' })).toThrow(/CONCURRENCY/);
    expect(() => loadConfig(apiEnvSchema, { METRICS_PORT: 'x' })).toThrow(/METRICS_PORT/);
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
  });
});

describe('TRUST_PROXY', () => {
  const parse = (v?: string) => loadConfig(apiEnvSchema, v === undefined ? {} : { TRUST_PROXY: v }).TRUST_PROXY;

  it('trusts no proxy by default', () => {
    expect(parse()).toBe(false);
    expect(parse('none')).toBe(false);
    expect(parse('false')).toBe(false);
  });

  it('takes a hop count, named ranges, addresses and CIDR ranges', () => {
    expect(parse('1')).toBe(1);
    expect(parse('loopback')).toEqual(['loopback']);
    expect(parse(' 10.0.0.0/8, 192.168.1.7 ,fd00::/8,uniquelocal')).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', 'uniquelocal']);
  });

  it('refuses trust-everything and anything that is not an address or range', () => {
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.internal', '1.2.3.4/8/9', '99', 'loopback,foo'])
      expect(() => parse(bad)).toThrow(/TRUST_PROXY/);
  });
});
