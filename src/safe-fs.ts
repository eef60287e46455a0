// The one path policy for files spillway writes: never through a symlink, never half-written, inside a folder when asked.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';

export interface SafeWriteOptions {
  /** File mode of the new file (default 0600: reports and state hold findings). */
  mode?: number;
  /** The file must be inside this folder once every symlink of its parent folders is resolved (the Action's workspace). */
  within?: string;
}

export function isInside(dir: string, target: string): boolean {
  return target === dir || target.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * Writes `data` to `path`: refused when `path` is a symlink or not a regular file (a scanned repository or a pull
 * request may commit one pointing anywhere); written to a new file beside it (O_EXCL, O_NOFOLLOW), fsync'd, then
 * renamed over it, so a link swapped in meanwhile is replaced, never followed. Throws an Error naming the path.
 */
export async function writeFileSafely(path: string, data: string | Uint8Array, opts: SafeWriteOptions = {}): Promise<void> {
  const file = resolve(path);
  if (opts.within !== undefined) {
    const [root, parent] = await Promise.all([realpath(opts.within), realpath(dirname(file))]);
    if (!isInside(root, parent)) throw new Error(`${path}: is outside ${opts.within} (through ${parent}): refusing to write there`);
  }
  const st = await lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new Error(`${path}: cannot write (${err.code ?? err.message})`);
  });
  if (st?.isSymbolicLink()) throw new Error(`${path}: is a symlink: refusing to write through it`);
  if (st && !st.isFile()) throw new Error(`${path}: is not a regular file: refusing to write to it`);
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, opts.mode ?? 0o600).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${path}: cannot write (${err.code ?? err.message})`);
  });
  try {
    await handle.writeFile(data);
    await handle.chmod(opts.mode ?? 0o600);
    await handle.sync();
    await handle.close();
    await rename(tmp, file);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw new Error(`${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** What a non-regular file is, for messages. */
function fileKind(st: { isFIFO(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  return st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isDirectory() ? 'a folder' : 'a device';
}

/**
 * Reads a whole regular file as UTF-8 (config, ignore files, baselines): opened non-blocking and checked with fstat,
 * so a FIFO or a device is refused instead of hanging the run; with `noFollow` (a file found in the scanned folder),
 * a symlink is refused too. Throws an Error whose `code` is ENOTREG, or fs's own (ENOENT...).
 */
export async function readRegularFile(path: string, opts: { noFollow?: boolean } = {}): Promise<string> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (opts.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP' && opts.noFollow) throw Object.assign(new Error('is a symlink (not followed in the scanned folder)'), { code: 'ENOTREG' });
    throw err;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw Object.assign(new Error(`not a regular file (${fileKind(st)})`), { code: 'ENOTREG' });
    return await handle.readFile('utf8');
  } finally {
    await handle.close().catch(() => undefined);
  }
}
