// Brief ext25 (issue #18): a learned claim filter over the rules, chosen by leave-one-set-out cross-validation on the
// dev sets only — claims F1 pooled and on dev-15..18 pooled (their lines are 1.19.0's rules), a drop threshold on
// p(false) chosen on pooled out-of-fold F1. The held-out sets are never read. Measured, not shipped.
// Usage: node tools/run.js tools/train/claim-filter   (prints the tables; writes nothing)
import { figures } from '../eval/metrics-score';
import {
  type FilterExample,
  type Scored,
  THRESHOLDS,
  chooseThreshold,
  filterExamples,
  isOwn,
  outOfFold,
  readRows,
  scoreAt,
} from './claim-filter-trainer';
import { CURRENT_RULES_SETS, DEFAULT_TRAIN, DEV_SETS } from './metrics-kind-trainer';

function line(label: string, s: Scored): string {
  const a = figures(s.pooled);
  const c = figures(s.current);
  return `| ${label} | ${s.dropped} (${s.droppedRight} right) | ${a.p.toFixed(4)} | ${a.r.toFixed(4)} | ${a.f1.toFixed(4)} | ${a.resultF1.toFixed(4)} | ${c.p.toFixed(4)} | ${c.f1.toFixed(4)} | ${c.resultF1.toFixed(4)} |`;
}

function main(): void {
  const rows = readRows();
  const all = filterExamples(rows);
  console.log(
    `${all.length} emitted claims from ${DEV_SETS.length} dev sets, ${all.filter((e) => !e.right).length} false`,
  );
  const header =
    '| variant (threshold chosen on pooled OOF) | dropped | P pooled | R pooled | F1 pooled | result F1 pooled | P current-rules sets | F1 current-rules sets | result F1 current-rules sets |\n|---|---|---|---|---|---|---|---|---|';
  console.log(header);
  console.log(line('rules (no filter)', scoreAt(rows, new Map(), 2)));
  const groups: Array<[string, (f: string) => boolean]> = [
    ['kind features', (f) => !isOwn(f)],
    ['kind + own', () => true],
    ['own + fields', (f) => isOwn(f) || !/^(?:L|R|LB|RB|L21|R12|SV):/.test(f)],
  ];
  const variants: Array<{ name: string; oof: Map<string, number> }> = [];
  for (const [name, keep] of groups) {
    const examples = all.map((e) => ({ ...e, features: e.features.filter(keep) }));
    for (const l2 of [1e-4, 1e-3])
      for (const epochs of [10, 30])
        for (const up of [1, 3, 6]) {
          const weightOf = (e: FilterExample): number => (CURRENT_RULES_SETS.includes(e.set) ? up : 1);
          const oof = outOfFold(examples, { ...DEFAULT_TRAIN, l2, epochs }, weightOf);
          variants.push({ name: `${name} l2=${l2} ep=${epochs} w15-18=${up}`, oof });
          const { t, s } = chooseThreshold(rows, oof);
          console.log(line(`${name} l2=${l2} ep=${epochs} w15-18=${up} t=${t}`, s));
        }
  }
  // the variant chosen (best pooled out-of-fold claims F1 at its threshold; ties: the first), per set
  let chosen = { k: 0, t: 2, f1: -1 };
  variants.forEach((v, k) => {
    const { t, s } = chooseThreshold(rows, v.oof);
    if (figures(s.pooled).f1 > chosen.f1 + 1e-12) chosen = { k, t, f1: figures(s.pooled).f1 };
  });
  console.log(`\nchosen: ${variants[chosen.k].name} t=${chosen.t}, per set (rules → filtered):`);
  console.log('| set | dropped (right) | P | R | F1 | result F1 |\n|---|---|---|---|---|---|');
  for (const set of DEV_SETS) {
    const r = rows.filter((x) => x.set === set);
    const b = figures(scoreAt(r, new Map(), 2).pooled);
    const a = scoreAt(r, variants[chosen.k].oof, chosen.t);
    const f = figures(a.pooled);
    console.log(
      `| ${set} | ${a.dropped} (${a.droppedRight}) | ${b.p.toFixed(3)} → ${f.p.toFixed(3)} | ${b.r.toFixed(3)} → ${f.r.toFixed(3)} | ${b.f1.toFixed(3)} → ${f.f1.toFixed(3)} | ${b.resultF1.toFixed(3)} → ${f.resultF1.toFixed(3)} |`,
    );
  }
  // the selection itself out of fold: each set scored with the variant and threshold chosen on the other sets
  const nested = new Map<string, number>();
  const picks: string[] = [];
  for (const set of DEV_SETS) {
    const others = rows.filter((r) => r.set !== set);
    let best = { f1: figures(scoreAt(others, new Map(), 2).pooled).f1, v: -1, t: 2 };
    variants.forEach((v, k) => {
      for (const t of THRESHOLDS) {
        const f1 = figures(scoreAt(others, v.oof, t).pooled).f1;
        if (f1 > best.f1 + 1e-12) best = { f1, v: k, t };
      }
    });
    picks.push(`${set}: ${best.v < 0 ? 'none' : variants[best.v].name} t=${best.t}`);
    if (best.v >= 0)
      for (const [key, p] of variants[best.v].oof)
        if (key.startsWith(`${set}\u0000`)) nested.set(key, p >= best.t ? 1 : 0);
  }
  console.log(line('nested: variant and threshold chosen without the set', scoreAt(rows, nested, 0.5)));
  for (const p of picks) console.log(`  ${p}`);
}

main();
