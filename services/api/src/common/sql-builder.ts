/** Collects positional parameters so conditions can be composed without ever splicing user input. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder ($n), optionally with a cast. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}
