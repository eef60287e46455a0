// A shallow checkout (actions/checkout's default fetch-depth: 1) cannot say which commit introduced a secret.
import { runGit } from '../sources/git/safe-git.js';
import type { ResolvedScan } from './resolve-plan.js';

/**
 * Throws, naming the fetch-depth to use, when the plan walks history that a shallow checkout cuts off: the
 * whole history, or a branch whose base is not in the checkout. There the shallow boundary commit would seem
 * to add every file it holds, and an old secret would be blamed on the pushed commit. A range whose base is
 * in the checkout (e.g. fetch-depth: 2 for a one-commit push) is walked as it is.
 */
export async function assertHistoryAvailable(repo: string, resolved: ResolvedScan): Promise<void> {
  const target = resolved.target;
  if (target?.kind !== 'history' || (target.revs ?? []).some((rev) => rev.includes('..'))) return;
  const shallow = await runGit(repo, ['rev-parse', '--is-shallow-repository']);
  if (shallow.code !== 0 || shallow.stdout.toString('utf8').trim() !== 'true') return;
  throw new Error(
    `the checkout is shallow, so the history to scan (${resolved.description}) is cut off and its oldest commit would seem to add every file: ` +
      'set `fetch-depth: 0` on actions/checkout (or use `mode: files` to scan only the checked-out tree)',
  );
}
