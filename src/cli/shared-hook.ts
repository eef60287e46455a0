// A pre-commit hook kept in the repository (husky's .husky/pre-commit, a committed core.hooksPath folder) is
// shared by everyone: spillway adds one portable line to it instead of replacing it with a machine's path.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { runGit } from '../sources/git/safe-git.js';
import type { HookResult } from './hook-install.js';

/** The marker comment and the command added to a shared hook (no path of this machine in either). */
export const SHARED_HOOK_MARK = '# spillway: scan what this commit adds (`spillway hook uninstall` removes these two lines)';
export const SHARED_HOOK_COMMAND = 'npx --no spillway scan --staged';

async function readOr(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/**
 * The hook file to edit when git's hooks folder `dir` is part of the work tree and not ignored, else undefined.
 * husky 9 points core.hooksPath at its generated `.husky/_` (ignored, rewritten by every install): the
 * user's own hook is `.husky/pre-commit`, one folder up.
 */
export async function sharedHookFile(repo: string, dir: string): Promise<string | undefined> {
  const top = await runGit(repo, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) return undefined;
  const root = top.stdout.toString('utf8').trim();
  const rel = relative(root, dir);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return undefined;
  if (basename(dir) === '_' && (await readOr(join(dir, 'h'))) !== undefined) return join(dirname(dir), 'pre-commit');
  const ignored = await runGit(root, ['check-ignore', '-q', '--', join(rel, 'pre-commit')]);
  return ignored.code === 0 ? undefined : join(dir, 'pre-commit');
}

/** Appends the portable spillway line to the shared hook (creating it when missing); leaves it if present. */
export async function installSharedHook(file: string): Promise<HookResult> {
  const text = await readOr(file);
  if (text?.split('\n').includes(SHARED_HOOK_MARK)) return { hookPath: file, changed: false, message: `${file} already runs spillway` };
  const lines = `${SHARED_HOOK_MARK}\n${SHARED_HOOK_COMMAND}\n`;
  const next = text === undefined ? `#!/bin/sh\n${lines}` : `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${lines}`;
  await writeFile(file, next, { mode: 0o755 });
  await chmod(file, 0o755);
  return {
    hookPath: file,
    changed: true,
    message: `${file} is the repository's shared hook: added \`${SHARED_HOOK_COMMAND}\` to it (spillway must be a devDependency); commit it so everyone runs the scan`,
  };
}

/** Removes the two lines installSharedHook added; the rest of the hook stays as it was. */
export async function uninstallSharedHook(file: string): Promise<HookResult> {
  const text = await readOr(file);
  const lines = text?.split('\n') ?? [];
  const at = lines.indexOf(SHARED_HOOK_MARK);
  if (text === undefined || at < 0) return { hookPath: file, changed: false, message: `${file} does not run spillway; left as it is` };
  lines.splice(at, lines[at + 1] === SHARED_HOOK_COMMAND ? 2 : 1);
  await writeFile(file, lines.join('\n'));
  return { hookPath: file, changed: true, message: `removed spillway's lines from ${file}` };
}
