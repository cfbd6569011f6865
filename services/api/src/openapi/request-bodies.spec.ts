import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  createKeySchema,
  createSourceSchema,
  createSubscriptionSchema,
  rotateSecretSchema,
  scheduleSchema,
  updateSourceSchema,
  updateSubscriptionSchema,
} from '@paperwire/actions';
import { claimConditionSchema, examplesSchema, subscriptionFilterSchema } from '@paperwire/notifications';
import { REPO_ROOT } from '@paperwire/testing';
import { adminSubscriptionPatchSchema } from '../admin/admin.controller';
import { OPENAPI_FILE } from './static-document';

type Schema = { [k: string]: unknown; properties?: Record<string, Schema>; allOf?: Schema[]; oneOf?: Schema[]; $ref?: string };

// A client generated from the document validates a request body by its schema: the lengths, ranges and list sizes
// the api enforces (the zod schemas in libs/actions and libs/notifications) belong in it, and a body with a key the
// api refuses ("the body has an unknown key") is `additionalProperties: false`. The document said nothing of a
// subscription name's 200 characters, a source's poll interval of at most a week, or a key's scopes needing one.
describe('request bodies: the document states the bounds the api enforces', () => {
  const doc = JSON.parse(readFileSync(join(REPO_ROOT, OPENAPI_FILE), 'utf8')) as { components: { schemas: Record<string, Schema> } };

  /** The schema under optional, nullable, default, refinements and transforms. */
  const core = (s: z.ZodTypeAny): z.ZodTypeAny => {
    for (;;) {
      if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodTypeAny;
      else if (s instanceof z.ZodDefault) s = s._def.innerType as z.ZodTypeAny;
      else if (s instanceof z.ZodEffects) s = s.innerType() as z.ZodTypeAny;
      else return s;
    }
  };
  const finite = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? undefined : n);
  /** What zod enforces of one property, in OpenAPI's words. */
  const enforced = (s: z.ZodTypeAny): Record<string, number | undefined> => {
    const c = core(s);
    if (c instanceof z.ZodString) return { minLength: finite(c.minLength), maxLength: finite(c.maxLength) };
    if (c instanceof z.ZodNumber) return { minimum: finite(c.minValue), maximum: finite(c.maxValue) };
    if (c instanceof z.ZodArray) {
      const def = c._def as { minLength: { value: number } | null; maxLength: { value: number } | null };
      return { minItems: def.minLength?.value, maxItems: def.maxLength?.value };
    }
    return {};
  };
  const documented = (p: Schema | undefined, keys: string[]): Record<string, number | undefined> =>
    Object.fromEntries(keys.map((k) => [k, typeof p?.[k] === 'number' ? (p[k] as number) : undefined]));

  const pairs: [string, z.ZodTypeAny][] = [
    ['CreateSubscriptionDto', createSubscriptionSchema],
    ['UpdateSubscriptionDto', updateSubscriptionSchema],
    ['ScheduleDto', scheduleSchema],
    ['RotateSecretDto', rotateSecretSchema],
    ['CreateApiKeyDto', createKeySchema],
    ['SourceInputDto', createSourceSchema],
    ['SourceUpdateDto', updateSourceSchema],
    ['SubscriptionFilterDto', subscriptionFilterSchema],
    ['ClaimConditionDto', claimConditionSchema],
    ['ExamplesFilterDto', examplesSchema],
    ['AdminSubscriptionPatchDto', adminSubscriptionPatchSchema],
  ];

  it('every request body the document lists is one of them (a body added without its pair here fails)', () => {
    const doc2 = doc as unknown as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>> };
    const bodies = new Set(
      Object.values(doc2.paths).flatMap((item) =>
        Object.values(item).flatMap((op) => Object.values(op.requestBody?.content ?? {}).map((c) => c.schema.$ref?.split('/').pop() ?? 'inline')),
      ),
    );
    expect([...bodies].filter((b) => !pairs.some(([name]) => name === b))).toEqual([]);
  });

  it.each(pairs)('%s', (name, schema) => {
    const object = core(schema);
    expect(object).toBeInstanceOf(z.ZodObject);
    const component = doc.components.schemas[name];
    const drift: string[] = [];
    for (const [key, prop] of Object.entries((object as z.ZodObject<z.ZodRawShape>).shape)) {
      const want = enforced(prop);
      const keys = Object.keys(want).filter((k) => want[k] !== undefined);
      const got = documented(component.properties?.[key], keys);
      for (const k of keys) if (got[k] !== want[k]) drift.push(`${key}.${k}: documented ${String(got[k])}, enforced ${String(want[k])}`);
    }
    if ((object as z.ZodObject<z.ZodRawShape>)._def.unknownKeys === 'strict' && component.additionalProperties !== false)
      drift.push('unknown keys are refused: additionalProperties should be false');
    // a field the api requires is required in the document, and one it does not is not
    const required = Object.entries((object as z.ZodObject<z.ZodRawShape>).shape)
      .filter(([, prop]) => !prop.isOptional())
      .map(([key]) => key)
      .sort();
    expect({ name, required: [...((component.required as string[] | undefined) ?? [])].sort() }).toEqual({ name, required });
    expect(drift).toEqual([]);
  });
});
