// One-line human descriptions of claims ("12.2x reduction in gpu memory"), used in match reasons.

import type { Claim } from '@paperwire/contracts';

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1e12) return `${trim(v / 1e12)}T`;
  if (abs >= 1e9) return `${trim(v / 1e9)}B`;
  if (abs >= 1e6) return `${trim(v / 1e6)}M`;
  if (abs >= 1e4) return `${trim(v / 1e3)}K`;
  return trim(v);
}

function trim(v: number): string {
  return String(Number(v.toFixed(2)));
}

/** The value with its unit: "12.2x", "40%", "3.1 pp", "7B params". */
export function formatClaimValue(c: Pick<Claim, 'value' | 'low' | 'unit' | 'unitText'>): string {
  const range = (f: (v: number) => string) =>
    c.low !== null && c.low !== undefined ? `${f(c.low)}–${f(c.value)}` : f(c.value);
  switch (c.unit) {
    case '%':
      return range((v) => `${trim(v)}%`);
    case 'x':
      return range((v) => `${trim(v)}x`);
    case 'pp':
      return `${range(trim)} pp`;
    case 'params':
      return `${range(num)} params`;
    case 'tokens':
      return `${range(num)} tokens`;
    case 'bytes':
      return `${range(num)} bytes`;
    case 'count':
      return range(num);
    case 'score':
      return range(trim);
    case 'other':
      return c.unitText ? `${range(trim)} ${c.unitText}` : range(trim);
  }
}

/** "12.2x reduction in gpu memory", "85.2% accuracy", "3x speedup"; falls back to the span text. */
export function describeClaim(c: Claim): string {
  const value = formatClaimValue(c);
  const metric = c.metric ? c.metric.toLowerCase() : null;
  switch (c.kind) {
    case 'reduction':
      return metric ? `${value} reduction in ${metric}` : `${value} reduction`;
    case 'speedup':
      return metric ? `${value} speedup in ${metric}` : `${value} speedup`;
    case 'relative_improvement':
      return metric ? `${value} improvement in ${metric}` : `${value} improvement`;
    case 'retention':
      return metric ? `${value} of ${metric} retained` : `${value} retained`;
    case 'absolute_score':
      return metric ? `${value} ${metric}` : c.text;
    case 'other':
    case 'scope':
    case 'size':
      return c.text;
  }
}
