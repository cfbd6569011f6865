// `node tools/run.js tools/bench/profile-summary <dir> [--top N]`: summarises the V8 CPU profiles a
// bench run wrote with PAPERWIRE_CPU_PROF_DIR=<dir> (one per service): for each, the CPU time spent
// outside idle, and the self time by package / project lib and by function, as shares of that time.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a project lib or service, or a V8 pseudo-frame. */
export function ownerOf(frame: ProfileNode['callFrame']): string {
  const url = frame.url;
  if (!url) return frame.functionName || '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = /\/dist\/((?:libs|services|tools)\/[^/]+)\//.exec(url);
  if (dist) return dist[1];
  return url.startsWith('node:') ? url : url.replace(/^.*\//, '');
}

export function summarise(profile: CpuProfile, top: number): { busyMs: number; byOwner: [string, number][]; byFunction: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const owner = new Map<string, number>();
  const fn = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += us;
    const o = ownerOf(frame).slice(0, 60);
    owner.set(o, (owner.get(o) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1}`.slice(0, 90);
    fn.set(name, (fn.get(name) ?? 0) + us);
  }
  const topOf = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]): [string, number] => [k, v / Math.max(busy, 1)]);
  return { busyMs: busy / 1000, byOwner: topOf(owner), byFunction: topOf(fn) };
}

function main(): void {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: profile-summary <dir with .cpuprofile files> [--top N]');
  const topArg = process.argv.indexOf('--top');
  const top = topArg > 0 ? Number(process.argv[topArg + 1]) : 12;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const s = summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, top);
    const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)}%`;
    process.stdout.write(`\n${file}: ${(s.busyMs / 1000).toFixed(1)} s busy\n`);
    process.stdout.write(`  by owner:    ${s.byOwner.map(([k, v]) => `${k} ${pct(v).trim()}`).join(', ')}\n`);
    process.stdout.write(`  by function:\n${s.byFunction.map(([k, v]) => `    ${pct(v)} ${k}`).join('\n')}\n`);
  }
}

main();
