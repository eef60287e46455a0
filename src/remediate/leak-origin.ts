// When a leaked file entered history: the commit that added it, read with the hardened git invocation.
import { runGit } from '../sources/git/safe-git.js';

/** The commit and author date that first added the file. */
export interface LeakOrigin {
  commit: string;
  date: string;
}

/**
 * The commit that added `path` (following renames) in the repository at `root`, or undefined when `root`
 * is not a git repository or the file was never committed (then it leaked only in the working tree).
 */
export async function firstCommitOf(root: string, path: string): Promise<LeakOrigin | undefined> {
  const result = await runGit(root, ['log', '--diff-filter=A', '--follow', '--format=%H%x09%aI', '--', path]).catch(() => undefined);
  if (!result || result.code !== 0) return undefined;
  const last = result.stdout.toString('utf8').trim().split('\n').at(-1);
  const [commit, date] = last?.split('\t') ?? [];
  return commit && date && /^[0-9a-f]{40,64}$/.test(commit) ? { commit, date } : undefined;
}
