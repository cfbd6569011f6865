import type { PathItemObject, SchemaObject } from '@nestjs/swagger';
import {
  WEBHOOK_SCHEMA_VERSION,
  digestWebhookPayloadSchema,
  paperWebhookPayloadSchema,
  webhookClaimSchema,
  webhookPaperSchema,
} from '@paperwire/notifications';
import type { ZodTypeAny } from 'zod';
import { zodToOpenApi } from './zod-schema';

// The zod schemas in libs/notifications are the contract; these are generated from them.
const NAMED = new Map<ZodTypeAny, string>([
  [webhookClaimSchema, 'WebhookClaim'],
  [webhookPaperSchema, 'WebhookPaper'],
  [paperWebhookPayloadSchema, 'PaperMatchedWebhook'],
  [digestWebhookPayloadSchema, 'DigestReadyWebhook'],
]);

const SIGNATURE_HEADERS = [
  { name: 'webhook-id', description: 'message id, the same on every retry: dedupe on it' },
  { name: 'webhook-timestamp', description: 'unix seconds of this attempt' },
  {
    name: 'webhook-signature',
    description: 'space-separated `v1,<base64 HMAC-SHA256>`, one per active secret',
  },
].map((h) => ({ in: 'header' as const, required: true, schema: { type: 'string' as const }, ...h }));

function webhook(summary: string, schemaName: string): PathItemObject {
  return {
    post: {
      operationId: `${schemaName[0].toLowerCase()}${schemaName.slice(1)}`,
      summary,
      tags: ['webhooks'],
      // Sent by PaperWire to the subscriber's URL: authenticated by the signature headers.
      security: [],
      description: `Standard Webhooks request, schema version ${WEBHOOK_SCHEMA_VERSION}. Verify the signature over the raw body. Any 2xx is success; 410 Gone disables the subscription; other answers are retried or counted as failures (libs/notifications/WEBHOOKS.md).`,
      parameters: SIGNATURE_HEADERS,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
      },
      responses: { '2XX': { description: 'delivered' } },
    },
  };
}

export const webhookComponents: {
  schemas: Record<string, SchemaObject>;
  webhooks: Record<string, PathItemObject>;
} = {
  schemas: Object.fromEntries([...NAMED].map(([schema, name]) => [name, zodToOpenApi(schema, NAMED)])),
  webhooks: {
    'paper.matched': webhook('A paper matched an instant subscription', 'PaperMatchedWebhook'),
    'digest.ready': webhook('A daily or weekly digest is ready', 'DigestReadyWebhook'),
  },
};
