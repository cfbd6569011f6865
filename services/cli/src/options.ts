import { z } from 'zod';
import { ActionError, integerText, plainIssues } from '@paperwire/actions';

/**
 * A whole number given to a command-line option (`--limit 20`), undefined when the option is absent; anything else is
 * refused naming the option in the API's words (plainIssues): "--grace-hours must be a whole number (got abc)",
 * "--limit must be at least 1 (got 0)". Without `min`/`max` only the number is checked here: the action's validation
 * says the range, its fields named by their options (`asOptionError`).
 */
export function integerOption(option: string, value: string | undefined, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const schema = z.object({ [option]: integerText(min, max) });
  const parsed = schema.safeParse({ [option]: value.trim() });
  if (parsed.success) return parsed.data[option] as number;
  const issues = plainIssues(schema, parsed.error.issues, { [option]: value }, 'query');
  throw new ActionError('invalid', issues.map((i) => i.message).join('; '), issues);
}

/**
 * An action's refusal with its fields named by the options that set them (`/schedule/hour` → `--hour`): the sentence
 * names the field too (plainIssues), so it names the option instead ("--hour must be at most 23 (got 25)").
 */
export function asOptionError(e: unknown, optionOf: Readonly<Record<string, string>>): unknown {
  if (!(e instanceof ActionError) || !e.details) return e;
  return new ActionError(
    e.code,
    e.message,
    e.details.map((d) => {
      const option = optionOf[d.field];
      return option ? { field: option, message: d.message.replace(new RegExp(`^${d.field.replace(/^\//, '').replace(/\//g, '\\.')}\\b:? ?`), '') } : d;
    }),
    e.retryAfterSeconds,
  );
}
