import { CliContext } from './context';
import { describeError, err } from './output';

let ctx: CliContext | undefined;

/** The connections of this run, opened on first use. */
export const context = (): CliContext => (ctx ??= new CliContext());

/** A command's body: its return value is the exit code; an error is one line on stderr and exit 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void> | number | void) {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = typeof code === 'number' ? code : 0;
    } catch (e) {
      err(`paperwire: ${describeError(e)}`);
      process.exitCode = 1;
    } finally {
      await ctx?.close();
    }
  };
}
