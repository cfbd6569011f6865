import { mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_INPUT_BYTES, readInputFile } from './input-file';

describe('readInputFile: what a command reads, and how much', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-input-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file whole under its limit, and names a missing one in one line', () => {
    const file = join(dir, 'small.txt');
    writeFileSync(file, 'hello');
    expect(readInputFile(file).toString()).toBe('hello');
    expect(() => readInputFile(join(dir, 'nope.xml'))).toThrow(`cannot read ${join(dir, 'nope.xml')}: no such file`);
    expect(() => readInputFile(file, 4)).toThrow(/is larger than 0 MB/);
  });

  it('refuses, without reading it, a file larger than any text Node can hold when no limit is given', () => {
    // a sparse file one byte past the default limit: no disk used, refused by its size before a read (it had no limit:
    // the read then failed, or a stream grew the process until it died)
    const file = join(dir, 'huge.xml');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, MAX_INPUT_BYTES + 1);
    closeSync(fd);
    expect(MAX_INPUT_BYTES).toBeGreaterThan(100 * 1024 * 1024);
    expect(() => readInputFile(file)).toThrow(`${file} is larger than ${Math.round(MAX_INPUT_BYTES / (1024 * 1024))} MB`);
  });
});
