import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { BullMQOtel } from 'bullmq-otel';

let sdk: NodeSDK | undefined;

/** True when an OTLP endpoint is configured (standard OTEL_* variables). */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_SDK_DISABLED !== 'true';
}

/**
 * Starts OpenTelemetry before anything else is loaded (call it from the first import of main.ts, so
 * http, pg and ioredis are patched). Off when no OTLP endpoint is set. Secrets never become span
 * attributes: pg statements are parameterised and ioredis command arguments are not recorded.
 * The span exporter is the SDK's, chosen by the standard variables: OTLP over HTTP with protobuf
 * bodies unless OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL says `http/json` or `grpc` (the specification's
 * default; protobuf bodies are ~2.5× smaller than JSON for the same spans), batched.
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk || !tracingEnabled(env)) return false;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? `paperwire-${serviceName}`,
      [ATTR_SERVICE_VERSION]: '0.1.0',
    }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => ['/metrics', '/healthz', '/readyz'].includes(req.url ?? ''),
      }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      // Only inside a trace: BullMQ's own polling would otherwise produce a span per command.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (cmd) => cmd }),
    ],
  });
  sdk.start();
  return true;
}

export async function stopTelemetry(): Promise<void> {
  const s = sdk;
  sdk = undefined;
  await s?.shutdown();
}

/** BullMQ telemetry: producer and consumer spans, with the trace context carried inside job data. */
export function bullmqTelemetry(serviceName: string): BullMQOtel | undefined {
  return tracingEnabled() ? new BullMQOtel(`paperwire-${serviceName}`) : undefined;
}
