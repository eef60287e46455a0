// Where Node keeps the compiled code of spillway's modules between runs: the user's cache folder, never a scanned tree.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { userCacheDir } from '../user-dirs.js';

/**
 * The compile cache folder for a run with `argv` in `cwd`: $NODE_COMPILE_CACHE, else `<cache dir>/compile-cache`.
 * Undefined (no cache) when that folder is inside what the run may scan or write: the working directory, a path
 * argument, or the git work tree around the working directory (a HOME that is a checkout, a test's HOME).
 */
export function compileCacheDir(env: Record<string, string | undefined>, cwd: string, argv: readonly string[]): string | undefined {
  const dir = env.NODE_COMPILE_CACHE || join(userCacheDir(env), 'compile-cache');
  if (!isAbsolute(dir)) return undefined;
  const inside = (parent: string): boolean => dir === parent || dir.startsWith(parent.endsWith(sep) ? parent : `${parent}${sep}`);
  if (inside(cwd) || argv.some((arg) => !arg.startsWith('-') && inside(resolve(cwd, arg)))) return undefined;
  for (let folder = cwd; ; folder = dirname(folder)) {
    if (inside(folder) && existsSync(join(folder, '.git'))) return undefined;
    if (dirname(folder) === folder) return dir;
  }
}
