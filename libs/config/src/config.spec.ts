import { ConfigError, commonEnvSchema, fetcherEnvSchema, loadConfig, redactUrl } from './config';

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

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
  });
});
