import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { startTelemetry, stopTelemetry, tracingEnabled } from './telemetry';

// One SDK per process (the global tracer provider is set once), so one start here: the default protocol.
describe('startTelemetry', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  it('is off without an OTLP endpoint or when the SDK is disabled', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(true);
  });

  it('exports spans as OTLP/HTTP protobuf by default (the specification default), batched, on shutdown', async () => {
    const received: { url?: string; type?: string; bytes: number }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        received.push({ url: req.url, type: req.headers['content-type'], bytes });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    delete process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL;
    delete process.env.OTEL_TRACES_EXPORTER;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
    process.env.OTEL_LOGS_EXPORTER = 'none';
    try {
      expect(startTelemetry('telemetry-spec')).toBe(true);
      expect(startTelemetry('telemetry-spec')).toBe(false); // once per process
      const tracer = trace.getTracer('telemetry-spec');
      for (let i = 0; i < 3; i++) tracer.startSpan(`unit-${i}`).end();
      expect(received).toHaveLength(0); // batched, not sent span by span
      await stopTelemetry(); // flushes
      const traces = received.filter((r) => r.url === '/v1/traces');
      expect(traces).toHaveLength(1);
      expect(traces[0].type).toBe('application/x-protobuf');
      expect(traces[0].bytes).toBeGreaterThan(0);
    } finally {
      await stopTelemetry();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
