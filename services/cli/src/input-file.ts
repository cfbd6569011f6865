import { readFileSync, statSync } from 'node:fs';

// A file a command reads (ingest, parse, classify, extract): a path that is no readable file is one plain line naming
// it ("cannot read /nope.xml: no such file"), not Node's "ENOENT: no such file or directory, stat '/nope.xml'".

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file (a part of the path is not a directory)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** The one line a failed read of `file` becomes. */
export function unreadableFile(file: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return new Error(`cannot read ${file}: ${REASONS[code] ?? (code || (e as Error).message)}`);
}

/** The size of a regular file in bytes (a directory, a missing or unreadable path: unreadableFile). */
export function inputFileSize(file: string): number {
  let size: number;
  let isFile: boolean;
  try {
    const st = statSync(file);
    size = st.size;
    isFile = st.isFile();
  } catch (e) {
    throw unreadableFile(file, e);
  }
  if (!isFile) throw unreadableFile(file, Object.assign(new Error('not a file'), { code: 'EISDIR' }));
  return size;
}

/** The bytes of a regular file (unreadableFile when it is none). */
export function readInputFile(file: string): Buffer {
  inputFileSize(file);
  try {
    return readFileSync(file);
  } catch (e) {
    throw unreadableFile(file, e);
  }
}
