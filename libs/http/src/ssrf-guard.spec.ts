import { HttpError, SsrfError } from './http-error';
import { assertPublicUrl, checkUrl, reservedHostName, type LookupFn } from './ssrf-guard';

// No real DNS here: every name goes through a fake resolver, IP literals never reach it.
const fakeDns =
  (table: Record<string, string[]>): LookupFn =>
  async (hostname) => {
    const answers = table[hostname];
    if (!answers) throw new Error(`ENOTFOUND ${hostname}`);
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
const lookup = fakeDns({
  'feeds.example.org': ['93.184.216.34'],
  'rebind.example.org': ['127.0.0.1'],
  'mixed.example.org': ['93.184.216.34', '10.0.0.5'],
  'v6only.example.org': ['2606:4700::1111'],
  'dual.example.org': ['2606:4700::1111', '93.184.216.34'],
  localhost: ['127.0.0.1', '::1'],
});

describe('assertPublicUrl', () => {
  it.each([
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_INFO',
    'data:text/plain,hi',
    'ftp://ftp.example.org/x',
    'javascript:alert(1)',
    'ws://feeds.example.org/',
  ])('refuses scheme of %s', async (url) => {
    await expect(assertPublicUrl(url, { lookup })).rejects.toBeInstanceOf(SsrfError);
  });

  it.each([
    'http://2130706433/', // decimal
    'http://0177.0.0.1/', // octal
    'http://0x7f.0.0.1/', // hex octet
    'http://0x7f000001/', // hex whole
    'http://017700000001/', // octal whole
    'http://127.1/', // short form
    'http://0/', // 0.0.0.0
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/latest/meta-data/',
    'http://169.254.169.254/latest/meta-data/',
    'https://[fd00::1]:8443/',
    'http://100.64.0.1/',
  ])('refuses the normalised private host of %s', async (url) => {
    const err = await assertPublicUrl(url, { lookup }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsrfError);
    expect((err as SsrfError).code).toBe('ssrf');
  });

  it('refuses names that resolve to loopback or to any private address', async () => {
    await expect(assertPublicUrl('http://rebind.example.org/feed', { lookup })).rejects.toThrow(
      /127\.0\.0\.1/,
    );
    await expect(assertPublicUrl('http://localhost:6379/', { lookup })).rejects.toBeInstanceOf(SsrfError);
    await expect(assertPublicUrl('https://mixed.example.org/', { lookup })).rejects.toThrow(/10\.0\.0\.5/);
  });

  it('allows public hosts and literals', async () => {
    await expect(assertPublicUrl('https://feeds.example.org/rss', { lookup })).resolves.toBeUndefined();
    await expect(assertPublicUrl('http://8.8.8.8/', { lookup })).resolves.toBeUndefined();
    await expect(assertPublicUrl('http://134744072/', { lookup })).resolves.toBeUndefined(); // 8.8.8.8 in decimal
    await expect(assertPublicUrl('https://[2606:4700::1111]/', { lookup })).resolves.toBeUndefined();
  });

  it('allows private addresses only when asked per call', async () => {
    await expect(
      assertPublicUrl('http://127.0.0.1:8080/', { lookup, allowPrivate: true }),
    ).resolves.toBeUndefined();
    await expect(
      assertPublicUrl('http://rebind.example.org/', { lookup, allowPrivate: true }),
    ).resolves.toBeUndefined();
    await expect(assertPublicUrl('http://127.0.0.1:8080/', { lookup })).rejects.toBeInstanceOf(SsrfError);
  });

  it('reports an unresolvable name as a network error, not an SSRF refusal', async () => {
    await expect(assertPublicUrl('http://nowhere.example.org/', { lookup })).rejects.toMatchObject({
      code: 'network',
    });
  });

  it('refuses invalid URLs', async () => {
    await expect(assertPublicUrl('not a url', { lookup })).rejects.toBeInstanceOf(SsrfError);
  });
});

describe('checkUrl', () => {
  it('returns the checked address to pin the connection to, preferring IPv4', async () => {
    await expect(checkUrl('https://dual.example.org/x', { lookup })).resolves.toMatchObject({
      hostname: 'dual.example.org',
      address: '93.184.216.34',
      family: 4,
    });
    await expect(checkUrl('https://v6only.example.org/x', { lookup })).resolves.toMatchObject({
      address: '2606:4700::1111',
      family: 6,
    });
    await expect(checkUrl('http://[2606:4700::1111]:81/', { lookup })).resolves.toMatchObject({
      hostname: '2606:4700::1111',
      family: 6,
    });
  });
});

describe('a name that does not resolve in time', () => {
  // a resolver that never answers (a dead DNS server): getaddrinfo alone would hold the request for its retries
  const silent: LookupFn = () => new Promise(() => undefined);

  it('is a network error after lookupTimeoutMs, not a request that waits on it', async () => {
    const err = await checkUrl('https://slow.example.org/hook', { lookup: silent, lookupTimeoutMs: 20 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect(err).not.toBeInstanceOf(SsrfError);
    expect((err as HttpError).code).toBe('network');
    expect((err as Error).message).toMatch(/slow\.example\.org.*within 20 ms/);
  });

  it('does not hold a name that answers before the deadline', async () => {
    await expect(
      checkUrl('https://feeds.example.org/rss', { lookup, lookupTimeoutMs: 10_000 }),
    ).resolves.toMatchObject({ address: '93.184.216.34' });
  });
});

describe('reservedHostName', () => {
  it('names special-use domains from the name alone, and nothing else', () => {
    const cases: [string, ReturnType<typeof reservedHostName>][] = [
      ['no-such-host.invalid', 'unresolvable'],
      ['INVALID', 'unresolvable'],
      ['feeds.example.', 'unresolvable'],
      ['abc.onion', 'unresolvable'],
      ['localhost', 'private'],
      ['api.localhost', 'private'],
      ['printer.local', 'private'],
      ['replay.test', 'private'],
      ['db.internal', 'private'],
      ['nas.home.arpa', 'private'],
      ['example.com', null],
      ['invalid.com', null],
      ['mytest', null],
      ['rss.arxiv.org', null],
      ['[::1]', null],
    ];
    expect(cases.map(([h]) => [h, reservedHostName(h)])).toEqual(cases);
  });
});
