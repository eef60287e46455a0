// Keeps a bare mirror of each audited repository in the cache folder: clone once, then fetch --prune.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { safeGitArgs, safeGitEnv } from '../sources/git/safe-git.js';
import type { RepoRef } from './repos.js';

export interface MirrorOptions {
  /** Token sent (as an HTTP header via the environment, never on the command line) to `authOrigin` only. */
  token?: string;
  /** Origin the token belongs to, e.g. https://github.com. */
  authOrigin?: string;
}

/**
 * Transports a clone may use. safe-git forbids every protocol (`protocol.allow=never`) so that a repository's
 * config cannot make git reach anywhere; a clone re-allows exactly the scheme of the URL it was given, and only
 * https (GitHub) and file (local mirrors, tests). ssh stays off: core.sshCommand is neutralised on purpose.
 */
const CLONE_SCHEMES = new Set(['https', 'file']);

/** Removes credentials from URLs in text (user:password@host) so git's messages can be shown. */
export function scrubCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

/** `[owner, name]` of `repo`. Throws a TypeError for a name that could escape a folder. */
export function repoNameParts(repo: RepoRef): [string, string] {
  const parts = repo.fullName.split('/');
  if (parts.length !== 2 || parts.some((part) => !/^[\w.-]+$/.test(part) || part === '.' || part === '..')) {
    throw new TypeError(`repository name "${repo.fullName}" is not owner/name`);
  }
  return [parts[0]!, parts[1]!];
}

/** Where `repo`'s mirror lives under `cacheDir`. */
export function mirrorPath(cacheDir: string, repo: RepoRef): string {
  const [owner, name] = repoNameParts(repo);
  return join(cacheDir, 'mirrors', owner, `${name}.git`);
}

function git(cwd: string, verb: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', safeGitArgs(cwd, args), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`git ${verb} failed (exit ${code}): ${scrubCredentials(stderr.trim()).split('\n').slice(-3).join(' ')}`));
    });
  });
}

function transportConfig(url: string, options: MirrorOptions): { args: string[]; env: NodeJS.ProcessEnv } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (!scheme || !CLONE_SCHEMES.has(scheme)) throw new TypeError(`clone URL ${scrubCredentials(url)}: only https:// and file:// URLs are allowed`);
  const env = safeGitEnv();
  if (options.token && options.authOrigin && scheme === 'https' && new URL(url).origin === new URL(options.authOrigin).origin) {
    const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${new URL(options.authOrigin).origin}/.extraHeader`, GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  }
  return { args: ['-c', `protocol.${scheme}.allow=always`], env };
}

/**
 * Brings the mirror of `repo` up to date and returns its path: `git clone --mirror` into a temporary folder renamed
 * into place (an interrupted clone leaves nothing half-made), or `git fetch --prune` when it already exists.
 */
export async function syncMirror(cacheDir: string, repo: RepoRef, options: MirrorOptions = {}): Promise<{ path: string; fresh: boolean }> {
  const path = mirrorPath(cacheDir, repo);
  const { args, env } = transportConfig(repo.cloneUrl, options);
  if (existsSync(join(path, 'HEAD'))) {
    await git(path, 'fetch', [...args, 'fetch', '--prune', '--quiet', 'origin'], env);
    return { path, fresh: false };
  }
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  try {
    await git(dirname(path), 'clone', [...args, 'clone', '--mirror', '--quiet', '--no-hardlinks', '--', repo.cloneUrl, partial], env);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return { path, fresh: true };
}
