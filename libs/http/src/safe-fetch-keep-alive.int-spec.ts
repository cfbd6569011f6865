import { createServer, type Server } from 'node:http';
import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server as TcpServer,
  type Socket,
} from 'node:net';
import { SsrfError } from './http-error';
import { dropIdleKeepAliveAgents } from './pinned-agents';
import { safeFetch } from './safe-fetch';
import type { LookupFn } from './ssrf-guard';

// NETWORK RULE: only servers on 127.0.0.1 / 127.0.0.2 started here are contacted. Names go through
// fake resolvers whose answer each test sets.

interface Seen {
  /** server-side address the connection came in on (which pinned address the client used) */
  localAddress: string;
  /** client port: the same one twice means the same connection */
  remotePort: number;
}

const listen = (server: Server | TcpServer, host: string, port = 0): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('safeFetch keep-alive pools sockets per checked address', () => {
  const seen: Seen[] = [];
  let connections = 0;
  let answer = '127.0.0.1';
  const dns: LookupFn = async (hostname) => {
    if (hostname !== 'hook.test') throw new Error(`ENOTFOUND ${hostname}`);
    return [{ address: answer, family: 4 }];
  };
  const servers: Server[] = [];
  let url: string;

  beforeAll(async () => {
    const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      seen.push({ localAddress: req.socket.localAddress ?? '', remotePort: req.socket.remotePort ?? 0 });
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    };
    // The same port on two loopback addresses: one URL, two possible DNS answers.
    const first = createServer(handler);
    const second = createServer(handler);
    for (const s of [first, second]) s.on('connection', () => connections++);
    const port = await listen(first, '127.0.0.1');
    await listen(second, '127.0.0.2', port);
    servers.push(first, second);
    url = `http://hook.test:${port}/hook`;
  });
  beforeEach(() => {
    dropIdleKeepAliveAgents();
    seen.length = 0;
    connections = 0;
    answer = '127.0.0.1';
  });
  afterAll(async () => {
    dropIdleKeepAliveAgents();
    await Promise.all(servers.map(closeServer));
  });

  const post = (extra: { keepAlive?: boolean; allowPrivate?: boolean; allowPrivateHosts?: string[] } = {}) =>
    safeFetch(url, {
      method: 'POST',
      body: '{"n":1}',
      headers: { 'content-type': 'application/json' },
      maxRedirects: 0,
      lookup: dns,
      keepAlive: true,
      allowPrivate: true,
      ...extra,
    });

  it('reuses one connection for repeated requests to the same target', async () => {
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(204);
    expect(seen).toHaveLength(3);
    expect(connections).toBe(1);
    expect(new Set(seen.map((s) => s.remotePort)).size).toBe(1);
  });

  it('opens a fresh connection per request without keepAlive', async () => {
    for (let i = 0; i < 2; i++) expect((await post({ keepAlive: false })).status).toBe(204);
    expect(connections).toBe(2);
  });

  it('does not reuse a socket once DNS answers a different address', async () => {
    expect((await post()).status).toBe(204);
    answer = '127.0.0.2';
    expect((await post()).status).toBe(204);
    expect(seen.map((s) => s.localAddress)).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(connections).toBe(2);
    expect(seen[0].remotePort).not.toBe(seen[1].remotePort);
  });

  it('checks every request first: an idle pooled socket never carries a refused one', async () => {
    const host = new URL(url).host;
    // Allowed once for this host (like a local replay source), pooled afterwards...
    expect((await post({ allowPrivate: false, allowPrivateHosts: [host] })).status).toBe(204);
    // ...then the same name, to the very address of the idle socket, without that allowance.
    const err = await post({ allowPrivate: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsrfError);
    expect(seen).toHaveLength(1);
    expect(connections).toBe(1);
  });
});

describe('safeFetch keep-alive with a server that drops idle connections', () => {
  let server: TcpServer;
  let port: number;
  const sockets: Socket[] = [];
  let connections = 0;
  let resets = 0;

  beforeAll(async () => {
    // The first connection answers one request, then resets when it is reused: the race where a
    // server closes an idle keep-alive connection just as the client sends on it.
    server = createTcpServer((socket) => {
      sockets.push(socket);
      const connection = ++connections;
      let requests = 0;
      let buffered = '';
      socket.on('data', (chunk) => {
        buffered += chunk.toString('latin1');
        if (!buffered.includes('\r\n\r\n')) return;
        buffered = '';
        requests++;
        if (connection === 1 && requests === 2) {
          resets++;
          socket.resetAndDestroy();
          return;
        }
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok');
      });
      socket.on('error', () => undefined);
    });
    port = await listen(server, '127.0.0.1');
  });
  afterAll(async () => {
    dropIdleKeepAliveAgents();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends once more on a fresh connection when a reused socket is reset before any answer', async () => {
    const get = () => safeFetch(`http://127.0.0.1:${port}/x`, { allowPrivate: true, keepAlive: true });
    expect((await get()).body.toString()).toBe('ok');
    expect((await get()).body.toString()).toBe('ok');
    expect(resets).toBe(1);
    expect(connections).toBe(2);
  });
});
