import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** the status the receiver answered */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A local webhook endpoint. `respond` decides each answer (status, or 'hang' to never answer),
 * so tests can simulate flapping, hanging and 410 endpoints.
 */
export async function startWebhookReceiver(respond: (req: { path: string; n: number }) => number | 'hang' = () => 204): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const decision = respond({ path: req.url ?? '/', n: n++ });
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ path: req.url ?? '/', headers: req.headers, body, at: Date.now(), status: decision === 'hang' ? 0 : decision });
      if (decision === 'hang') return;
      res.writeHead(decision).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
