import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

type Named = ReadonlyMap<z.ZodTypeAny, string>;

/**
 * An OpenAPI 3.0 schema from a zod schema, for the zod kinds the public payloads use. Schemas listed in
 * `named` become `$ref`s to `#/components/schemas/<name>`, so a zod schema stays the one definition.
 */
export function zodToOpenApi(schema: z.ZodTypeAny, named: Named = new Map(), root = true): SchemaObject {
  const name = named.get(schema);
  if (name && !root) return { $ref: `#/components/schemas/${name}` } as SchemaObject;
  const description = schema.description ? { description: schema.description } : {};
  if (schema instanceof z.ZodNullable) {
    // A nullable reference cannot carry `nullable` in 3.0: inline it.
    return { ...zodToOpenApi(schema.unwrap(), named, true), nullable: true, ...description };
  }
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodTypeAny>;
    const properties: Record<string, SchemaObject> = {};
    const required: string[] = [];
    for (const [key, value] of Object.entries(shape)) {
      const optional = value instanceof z.ZodOptional;
      properties[key] = zodToOpenApi(optional ? value.unwrap() : value, named, false);
      if (!optional) required.push(key);
    }
    return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), ...description };
  }
  if (schema instanceof z.ZodArray)
    return { type: 'array', items: zodToOpenApi(schema.element, named, false), ...description };
  if (schema instanceof z.ZodString)
    return { type: 'string', ...(schema.isDatetime ? { format: 'date-time' } : {}), ...description };
  if (schema instanceof z.ZodNumber) {
    const min = schema.minValue;
    return {
      type: schema.isInt ? 'integer' : 'number',
      ...(min !== null && Number.isFinite(min) ? { minimum: min } : {}),
      ...description,
    };
  }
  if (schema instanceof z.ZodBoolean) return { type: 'boolean', ...description };
  if (schema instanceof z.ZodEnum)
    return { type: 'string', enum: [...(schema.options as string[])], ...description };
  if (schema instanceof z.ZodLiteral) {
    const value: unknown = schema.value;
    return { type: typeof value as 'string', enum: [value], ...description };
  }
  throw new Error(`zodToOpenApi: no OpenAPI mapping for ${schema.constructor.name}`);
}
