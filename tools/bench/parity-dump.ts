// What the output-parity tools (classifier-parity, feeds-parity) share: `--write FILE` stores the current build's
// outputs (sets of outputs, gzipped JSON), `--check FILE` compares the current build's outputs with such a dump,
// set by set and output by output, prints the differences and exits 1 when there is any.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

export type Dump = Record<string, unknown[]>;
/** 'close' is for numbers within a tolerance: counted apart, not as a difference. */
export type Verdict = 'same' | 'close' | 'differs';

/** The value after `--name` on the command line. */
export const argOf = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

export async function runParity(
  tool: string,
  outputs: () => Dump | Promise<Dump>,
  compare: (before: unknown, now: unknown) => Verdict,
): Promise<void> {
  const out = (s: string): void => void process.stdout.write(s + '\n');
  const write = argOf('write');
  const check = argOf('check');
  if (!write === !check) {
    process.stderr.write(`usage: ${tool} --write FILE | --check FILE\n`);
    process.exitCode = 2;
    return;
  }
  const dump = await outputs();
  if (write) {
    writeFileSync(write, gzipSync(JSON.stringify(dump)));
    const n = Object.values(dump).reduce((s, v) => s + v.length, 0);
    out(`wrote ${n} outputs over ${Object.keys(dump).length} sets to ${write}`);
    return;
  }
  const before = JSON.parse(gunzipSync(readFileSync(check!)).toString('utf8')) as Dump;
  // The dump went through JSON: compare the current outputs the same way (undefined fields dropped).
  const now = JSON.parse(JSON.stringify(dump)) as Dump;
  let differing = 0;
  const names = [...new Set([...Object.keys(before), ...Object.keys(now)])];
  for (const name of names) {
    const a = before[name];
    const b = now[name];
    if (!a || !b || a.length !== b.length) {
      differing++;
      out(`${name}: missing or of another size (${a?.length ?? 'none'} before, ${b?.length ?? 'none'} now)`);
      continue;
    }
    let close = 0;
    const diffs: number[] = [];
    for (let i = 0; i < a.length; i++) {
      const c = compare(a[i], b[i]);
      if (c === 'close') close++;
      else if (c === 'differs') diffs.push(i);
    }
    differing += diffs.length;
    out(
      `${name.padEnd(26)} ${String(a.length).padStart(5)} outputs: ${diffs.length} differ, ${close} within tolerance`,
    );
    for (const i of diffs.slice(0, 3))
      out(
        `  #${i}\n    before ${JSON.stringify(a[i]).slice(0, 2000)}\n    now    ${JSON.stringify(b[i]).slice(0, 2000)}`,
      );
  }
  out(differing === 0 ? 'parity: 0 differences' : `parity: ${differing} differences`);
  if (differing > 0) process.exitCode = 1;
}
