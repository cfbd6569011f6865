import { z } from 'zod';

/** Levenshtein distance, case-insensitive (small inputs: names, slugs). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[t.length];
}

/** Whether `short` reads as an abbreviation of `long`: same first letter, its letters in order (tz → timeZone). */
function abbreviates(short: string, long: string): boolean {
  const s = short.toLowerCase().replace(/[^a-z0-9]/g, '');
  const l = long.toLowerCase();
  if (s.length < 2 || s.length >= l.length || s[0] !== l[0]) return false;
  let i = 0;
  for (const ch of l) if (ch === s[i]) i++;
  return i === s.length;
}

/**
 * The candidates a mistyped `value` most likely meant, closest first (at most `max`): a small edit distance
 * (a third of the longer name, at least 1: acuracy → accuracy), one name inside the other (sparse → sparse-attention)
 * or an abbreviation (tz → timeZone). None when nothing is close: a suggestion must be plausible.
 */
export function closestNames(value: string, candidates: readonly string[], max = 3): string[] {
  const v = value.trim().toLowerCase();
  if (!v) return [];
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const n = name.toLowerCase();
    if (n === v) continue;
    const d = editDistance(v, n);
    const limit = Math.max(1, Math.floor(Math.max(v.length, n.length) / 3));
    if (d <= limit) scored.push({ name, score: d });
    else if (v.length >= 3 && (n.includes(v) || v.includes(n)) && Math.min(v.length, n.length) >= 3) scored.push({ name, score: limit + Math.abs(n.length - v.length) / 100 });
    else if (abbreviates(v, n)) scored.push({ name, score: limit + 1 });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}

/** `a, b or c` */
export function orList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The schema under wrappers (optional, nullable, default, effects, pipelines, lazy). */
function unwrap(s: z.ZodTypeAny | undefined): z.ZodTypeAny | undefined {
  for (let i = 0; s && i < 20; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodTypeAny;
    else if (s instanceof z.ZodDefault) s = s._def.innerType as z.ZodTypeAny;
    else if (s instanceof z.ZodEffects) s = s._def.schema as z.ZodTypeAny;
    else if (s instanceof z.ZodPipeline) s = s._def.in as z.ZodTypeAny;
    else if (s instanceof z.ZodLazy) s = s._def.getter() as z.ZodTypeAny;
    else if (s instanceof z.ZodBranded) s = s.unwrap() as z.ZodTypeAny;
    else if (s instanceof z.ZodReadonly || s instanceof z.ZodCatch) s = s._def.innerType as z.ZodTypeAny;
    else return s;
  }
  return s;
}

/** The schema that validates the value at `path` (undefined when a union or record hides it). */
export function schemaAt(schema: z.ZodTypeAny, path: readonly (string | number)[]): z.ZodTypeAny | undefined {
  let s = unwrap(schema);
  for (const key of path) {
    if (s instanceof z.ZodObject) s = unwrap((s.shape as Record<string, z.ZodTypeAny>)[String(key)]);
    else if (s instanceof z.ZodArray) s = unwrap(s.element as z.ZodTypeAny);
    else return undefined;
  }
  return s;
}

function placeholder(s: z.ZodTypeAny | undefined): string {
  const u = unwrap(s);
  if (u instanceof z.ZodArray) return '[…]';
  if (u instanceof z.ZodObject) return '{…}';
  if (u instanceof z.ZodString || u instanceof z.ZodEnum) return '"…"';
  if (u instanceof z.ZodBoolean) return 'true';
  return '…';
}

/** An object's shape as a short example: its required keys (else its first keys) — {"slugs": […]}. */
export function objectExample(obj: z.AnyZodObject): string {
  const entries = Object.entries(obj.shape as Record<string, z.ZodTypeAny>);
  const required = entries.filter(([, v]) => !v.isOptional());
  const shown = (required.length > 0 ? required : entries).slice(0, 4);
  return `{${shown.map(([k, v]) => `"${k}": ${placeholder(v)}`).join(', ')}}`;
}

/**
 * A zod issue in words a client can act on: an object sent as something else says which shape is expected
 * ("expected an object such as {"slugs": […]}"), an unknown key names the schema's closest key
 * ("unknown key "tz" (did you mean timeZone?)") and the keys that are accepted.
 */
export function issueMessage(schema: z.ZodTypeAny, issue: z.ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'object' && issue.received !== 'undefined') {
    const at = schemaAt(schema, issue.path);
    if (at instanceof z.ZodObject) return `expected an object such as ${objectExample(at)}, received ${issue.received === 'array' ? 'an array' : issue.received}`;
  }
  if (issue.code === 'unrecognized_keys') {
    const at = schemaAt(schema, issue.path);
    if (at instanceof z.ZodObject) {
      const known = Object.keys(at.shape as object);
      const parts = issue.keys.map((k) => {
        const meant = closestNames(k, known, 1);
        return `"${k.slice(0, 100)}"${meant.length > 0 ? ` (did you mean ${meant[0]}?)` : ''}`;
      });
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${parts.join(', ')}; accepted: ${known.join(', ')}`;
    }
  }
  return issue.message;
}
