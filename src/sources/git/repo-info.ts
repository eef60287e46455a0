// Facts about a repository a history scan needs: its layout, HEAD, shallowness, and a safe remote URL.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from './safe-git.js';

export interface RepoInfo {
  /** Absolute path given to git (work tree top level, or the git dir of a bare repository). */
  root: string;
  gitDir: string;
  bare: boolean;
  /** HEAD's commit, absent when HEAD is unborn. */
  head?: string;
  branch?: string;
  /** origin's URL without any credentials in it. */
  remoteUrl?: string;
  /** Boundary commits of a shallow clone (empty when the clone is complete). */
  shallowCommits: string[];
}

async function gitLine(repo: string, args: string[]): Promise<string | undefined> {
  const res = await runGit(repo, args);
  return res.code === 0 ? res.stdout.toString('utf8').trim() : undefined;
}

/** Reads the facts about `repo`; throws an Error naming it when it is not a git repository. */
export async function repoInfo(repo: string): Promise<RepoInfo> {
  // Independent questions, asked at once.
  const [res, top, head, branch, url] = await Promise.all([
    runGit(repo, ['rev-parse', '--path-format=absolute', '--is-bare-repository', '--git-common-dir']),
    gitLine(repo, ['rev-parse', '--show-toplevel']),
    gitLine(repo, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
    gitLine(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD']),
    gitLine(repo, ['config', '--get', 'remote.origin.url']),
  ]);
  if (res.code !== 0) throw new Error(`${repo}: not a git repository (${res.stderr.trim() || `git exit ${res.code}`})`);
  const [bareFlag, gitDir] = res.stdout.toString('utf8').trim().split('\n');
  const bare = bareFlag === 'true';
  const root = bare ? gitDir! : (top ?? repo);
  let shallowCommits: string[] = [];
  try {
    shallowCommits = (await readFile(join(gitDir!, 'shallow'), 'utf8')).split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l));
  } catch {
    shallowCommits = [];
  }
  return {
    root,
    gitDir: gitDir!,
    bare,
    ...(head ? { head } : {}),
    ...(branch ? { branch } : {}),
    ...(url ? { remoteUrl: stripCredentials(url) } : {}),
    shallowCommits,
  };
}

/** Removes `user:password@` from a URL so a token in a remote never reaches a report. */
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
