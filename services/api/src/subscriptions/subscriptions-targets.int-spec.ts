import 'reflect-metadata';
import { createApiKey } from '@paperwire/db';
import { useTestApi } from '../testing/use-test-api';

jest.setTimeout(120_000);

// A webhook target is stored as the URL parser reads it (URL#href), not as typed: the parser drops tabs, CR
// and LF wherever they stand and normalises case, ports, dot segments and IPv4 forms. Where dropping them
// would silently change the scheme or host, the target is refused (400). The API and the CLI run one action.

const IP = '93.184.215.14';

describe('webhook targets are stored normalised', () => {
  let key = '';
  const api = useTestApi('t_subscription_targets', async ({ ds }) => {
    key = (await createApiKey(ds, { name: 'owner', scopes: ['subscriptions'] })).key;
  });
  const http = api.http;
  const create = (target: string) =>
    http().post('/v1/subscriptions').set('X-API-Key', key).send({ channel: 'webhook', target });
  const stored = async (id: string): Promise<string> =>
    (await api.db.ds.query(`SELECT target FROM subscriptions WHERE id = $1`, [id]))[0].target;
  const count = async (): Promise<number> =>
    (await api.db.ds.query(`SELECT count(*)::int AS n FROM subscriptions`))[0].n;

  it.each([
    [
      'tab, CR and LF in the path and query are dropped',
      `https://${IP}/ho\tok/a\r\nb?x=\t1`,
      `https://${IP}/hook/ab?x=1`,
    ],
    [
      'scheme and host lower-cased, default port and dot segments gone',
      `HTTPS://${IP}:443/a/./b/../c?q=1#f`,
      `https://${IP}/a/c?q=1#f`,
    ],
    [
      'an IPv4 address in hex is written as the parser reads it',
      'https://0x5db8d70e/hook',
      `https://${IP}/hook`,
    ],
    [
      'non-ASCII and other controls in the path are percent-encoded',
      `https://${IP}/ä\u0001x`,
      `https://${IP}/%C3%A4%01x`,
    ],
    ['surrounding white space is trimmed', `  https://${IP}/hook \n`, `https://${IP}/hook`],
    [
      'an already normal URL is kept as it is',
      `http://${IP}:8080/hook?a=1&b=2`,
      `http://${IP}:8080/hook?a=1&b=2`,
    ],
  ])('%s: stored, returned and shown as the href', async (_what, typed, href) => {
    const res = await create(typed).expect(201);
    expect(res.body.target).toBe(href);
    expect(await stored(res.body.id)).toBe(href);
    expect(
      (await http().get(`/v1/subscriptions/${res.body.id}`).set('X-API-Key', key).expect(200)).body.target,
    ).toBe(href);
    // the default name is made from the target as stored
    expect(res.body.name).toBe(`webhook ${href}`);
  });

  it.each([
    ['a tab inside the host', `https://93.184.\t215.14/hook`],
    ['a LF that joins the host to another name', `https://${IP}\n.evil.example/hook`],
    ['a CR inside the port', `https://${IP}:4\r43/hook`],
    ['a tab inside the scheme', `ht\ttps://${IP}/hook`],
    ['a tab right after the scheme', `https:\t//${IP}/hook`],
  ])('%s: 400 naming the control characters, nothing stored', async (_what, typed) => {
    const before = await count();
    const res = await create(typed).expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.stringify(res.body)).toContain('control characters (tab, CR, LF) in the scheme or host');
    expect(JSON.stringify(res.body)).toContain('/target');
    expect(await count()).toBe(before);
  });

  it('PATCH normalises a new target the same way, and refuses a hidden host change keeping the old one', async () => {
    const { id } = (await create(`https://${IP}/one`).expect(201)).body as { id: string };
    const patched = await http()
      .patch(`/v1/subscriptions/${id}`)
      .set('X-API-Key', key)
      .send({ target: `HTTPS://${IP}/t\two` })
      .expect(200);
    expect(patched.body.target).toBe(`https://${IP}/two`);
    expect(await stored(id)).toBe(`https://${IP}/two`);
    const refused = await http()
      .patch(`/v1/subscriptions/${id}`)
      .set('X-API-Key', key)
      .send({ target: `https://93.184\t.215.14/three` })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('control characters');
    expect(await stored(id)).toBe(`https://${IP}/two`);
  });

  it('the CLI stores the same href and refuses the same hidden host change', async () => {
    const cli = (target: string) => api.cli(['subscriptions', 'add', 'cli', 'webhook', target]);
    const ok = await cli(`HTTPS://${IP}:443/c\tli`);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(JSON.parse(ok.stdout).target).toBe(`https://${IP}/cli`);
    const refused = await cli(`https://93.184.215\t.14/cli`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('control characters (tab, CR, LF) in the scheme or host');
  });
});
