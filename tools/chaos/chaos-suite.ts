/// <reference types="jest" />
// What the chaos specs share beyond the harness: when they run, the load they describe, and the check
// every scenario ends with. Only the specs import this (it uses jest's globals).
import { PAPERS_PER_SCENARIO, QUICK, type CheckReport } from './chaos-harness';

// Minutes of load on purpose: only `npm run test:chaos` (PAPERWIRE_CHAOS=1) runs these; the plain
// e2e run (`npm run test:e2e`, `npm test`) lists them as skipped.
export const chaosDescribe = process.env.PAPERWIRE_CHAOS === '1' ? describe : describe.skip;

/** A scenario of the full run only: skipped under CHAOS_QUICK=1. */
export const fullOnly = QUICK ? it.skip : it;

/** The load of a scenario of `n` papers, as its result records it. */
export const loadOf = (n: number): string =>
  n < 500 ? `${n} papers (1 JSONL doc)` : `${n} papers (${Math.ceil(n / 500)} JSONL docs of 500)`;

/** The load of one scenario, as its result records it. */
export const SCENARIO_LOAD = loadOf(PAPERS_PER_SCENARIO);

/** PaperWire's promise over the run's whole history: nothing lost, duplicated or invented, nothing left active. */
export function expectClean(r: CheckReport): void {
  expect(r.problems).toEqual([]);
  expect(r.lost).toBe(0);
  expect(r.duplicated).toBe(0);
  expect(r.phantom).toBe(0);
  expect(r.activeJobsLeft).toBe(0);
  expect(r.stored + r.deadLettered).toBe(r.papersIn);
}
