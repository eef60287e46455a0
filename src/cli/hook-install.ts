// Installs and removes spillway's pre-commit hook, chaining (and later restoring) a hook that was there.
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGit } from '../sources/git/safe-git.js';

/** First line after the shebang of every hook we write: how uninstall knows the hook is ours. */
export const HOOK_MARK = '# spillway-hook v1';
/** Where an existing pre-commit hook is moved so ours can run it first. */
export const CHAINED_NAME = 'pre-commit.spillway-chained';

export interface HookResult {
  hookPath: string;
  /** What happened, in a sentence for the user. */
  message: string;
  changed: boolean;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The hook script: runs a chained hook first (if any), then `spillway scan --staged`. */
export function hookScript(binPath: string): string {
  return [
    '#!/bin/sh',
    HOOK_MARK,
    '# Installed by `spillway hook install`; `spillway hook uninstall` removes it and restores any hook it chained.',
    'hook_dir=$(dirname -- "$0")',
    // As git does, a chained hook that is not executable is skipped.
    `if [ -x "$hook_dir/${CHAINED_NAME}" ]; then`,
    `  "$hook_dir/${CHAINED_NAME}" "$@" || exit $?`,
    'fi',
    `spillway_bin=${shellQuote(binPath)}`,
    'if [ -f "$spillway_bin" ]; then',
    '  exec node "$spillway_bin" scan --staged',
    'fi',
    'exec spillway scan --staged',
    '',
  ].join('\n');
}

/** The CLI entry point this module belongs to (dist/cli/bin.js next to dist/cli/hook-install.js). */
export function defaultBinPath(): string {
  return fileURLToPath(new URL('./bin.js', import.meta.url));
}

/**
 * The folder git runs hooks from: `core.hooksPath` (as the user's own config sets it, global included;
 * relative to the work tree's top level) or `<git common dir>/hooks`.
 * NOTE: this one read goes through the user's full git config on purpose (safe-git ignores global config
 * and neutralises core.hooksPath); `git config --get` runs no repository code.
 */
export async function hooksDir(repo: string, env: Record<string, string | undefined>): Promise<string> {
  const common = await runGit(repo, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
  if (common.code !== 0) throw new Error(`${repo}: not a git repository (${common.stderr.trim()})`);
  const gitDir = common.stdout.toString('utf8').trim();
  const top = await runGit(repo, ['rev-parse', '--show-toplevel']);
  const base = top.code === 0 ? top.stdout.toString('utf8').trim() : gitDir;
  const configured = await new Promise<string>((done) => {
    execFile('git', ['-C', repo, 'config', '--type=path', '--get', 'core.hooksPath'], { env }, (err, stdout) => done(err ? '' : stdout.trim()));
  });
  if (!configured) return join(gitDir, 'hooks');
  return isAbsolute(configured) ? configured : resolve(base, configured);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function isOurs(path: string): Promise<boolean> {
  try {
    return (await readFile(path, 'utf8')).split('\n', 3).includes(HOOK_MARK);
  } catch {
    return false;
  }
}

/** Writes the pre-commit hook into `dir`; an existing foreign hook is moved aside and chained. */
export async function installHook(dir: string, binPath: string): Promise<HookResult> {
  const hookPath = join(dir, 'pre-commit');
  const chained = join(dir, CHAINED_NAME);
  if (await isOurs(hookPath)) return { hookPath, changed: false, message: `spillway's pre-commit hook is already installed at ${hookPath}` };
  await mkdir(dir, { recursive: true });
  let message = `installed spillway's pre-commit hook at ${hookPath}`;
  if (await exists(hookPath)) {
    if (await exists(chained)) throw new Error(`${chained} already exists: move it away before installing, so no hook is lost`);
    await rename(hookPath, chained);
    message += `; the existing hook was moved to ${CHAINED_NAME} and runs first`;
  }
  await writeFile(hookPath, hookScript(binPath), { mode: 0o755 });
  await chmod(hookPath, 0o755);
  return { hookPath, changed: true, message };
}

/** Removes our hook from `dir` and puts back the hook it chained, byte for byte; leaves a foreign hook alone. */
export async function uninstallHook(dir: string): Promise<HookResult> {
  const hookPath = join(dir, 'pre-commit');
  const chained = join(dir, CHAINED_NAME);
  if (!(await isOurs(hookPath))) {
    const present = await exists(hookPath);
    return { hookPath, changed: false, message: present ? `${hookPath} was not installed by spillway; left as it is` : `no pre-commit hook at ${hookPath}` };
  }
  await unlink(hookPath);
  if (await exists(chained)) {
    await rename(chained, hookPath);
    return { hookPath, changed: true, message: `removed spillway's pre-commit hook and restored the previous one at ${hookPath}` };
  }
  return { hookPath, changed: true, message: `removed spillway's pre-commit hook from ${hookPath}` };
}
