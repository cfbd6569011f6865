import { constants } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

// A file a command reads (ingest, parse, classify, extract): a path that is no readable file is one plain line naming
// it ("cannot read /nope.xml: no such file"), not Node's "ENOENT: no such file or directory, stat '/nope.xml'".
// `-` is standard input, and so is any other stream the shell hands over (`/dev/stdin`, a pipe, `<(curl …)`): read
// to its end, at most `maxBytes`.

/**
 * The most a command reads when it names no smaller limit: the longest text Node can hold (~512 MB). Every reader turns
 * the bytes into text, so a larger input could never be read; without a limit `yes | paperwire parse -` grew the
 * process to several GB before it died.
 */
export const MAX_INPUT_BYTES = constants.MAX_STRING_LENGTH;

/** The name a command is given for standard input. */
export const STDIN = '-';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file (a part of the path is not a directory)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** The names of this process's own standard input, read from its descriptor (opening them fails when it is a socket). */
const STDIN_NAMES: ReadonlySet<string> = new Set([STDIN, '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/** How a command names what it read: the path, or "standard input" for `-`. */
export const inputName = (file: string): string => (file === STDIN ? 'standard input' : file);

/** The one line a failed read of `file` becomes. */
export function unreadableFile(file: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return new Error(`cannot read ${inputName(file)}: ${REASONS[code] ?? (code || (e as Error).message)}`);
}

const tooLarge = (file: string, maxBytes: number) =>
  new Error(`${inputName(file)} is larger than ${Math.round(maxBytes / (1024 * 1024))} MB`);

/** A stream read to its end (a pipe's writer may pause: EAGAIN is waited out), refused past `maxBytes`. */
function readStream(file: string, fd: number, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw unreadableFile(file, e);
    }
    if (n === 0) return Buffer.concat(chunks, total);
    total += n;
    if (total > maxBytes) throw tooLarge(file, maxBytes);
    chunks.push(chunk.subarray(0, n));
  }
}

/**
 * The bytes of a file, of standard input (`-`) or of another stream (a pipe, a device), at most `maxBytes` (a larger
 * regular file is refused before it is read). A directory, a missing or unreadable path: unreadableFile.
 */
export function readInputFile(file: string, maxBytes = MAX_INPUT_BYTES): Buffer {
  if (STDIN_NAMES.has(file)) return readStream(file, 0, maxBytes);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch (e) {
    throw unreadableFile(file, e);
  }
  if (st.isDirectory()) throw unreadableFile(file, Object.assign(new Error('a directory'), { code: 'EISDIR' }));
  if (st.isFile()) {
    if (st.size > maxBytes) throw tooLarge(file, maxBytes);
    try {
      return readFileSync(file);
    } catch (e) {
      throw unreadableFile(file, e);
    }
  }
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw unreadableFile(file, e);
  }
  try {
    return readStream(file, fd, maxBytes);
  } finally {
    closeSync(fd);
  }
}
