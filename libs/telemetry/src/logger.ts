import pino, { type Logger } from 'pino';
import { trace } from '@opentelemetry/api';

/** Keys whose values never reach a log line. */
export const REDACT_PATHS = [
  'secret',
  'secrets',
  '*.secret',
  '*.secrets',
  'apiKey',
  '*.apiKey',
  'key',
  'token',
  '*.token',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'webhook-signature',
  '*["webhook-signature"]',
];

/** pino JSON logs on stderr (stdout stays free for CLI output), with the active trace and span ids. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino(
    {
      level,
      base: { service },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const ctx = trace.getActiveSpan()?.spanContext();
        return ctx ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
      },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}
export type { Logger } from 'pino';
