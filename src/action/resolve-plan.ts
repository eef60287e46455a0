// Turns a scan plan into a library scan target, checking its revisions against the checked-out repository.
import type { ScanTarget } from '../scan/run-scan.js';
import { runGit } from '../sources/git/safe-git.js';
import type { ScanPlan } from './event.js';

/** What runScan is asked to scan for a plan. */
export interface ResolvedScan {
  /** Absent when there is nothing to scan. */
  target?: ScanTarget;
  /** What will be scanned, for the log and the job summary. */
  description: string;
}

const history = (repo: string, revs: string[]): ScanTarget => ({ kind: 'history', repo, revs });

async function commitExists(repo: string, rev: string): Promise<string | undefined> {
  const result = await runGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
}

async function newBranchArgs(repo: string, head: string, defaultBranch: string | undefined): Promise<ResolvedScan> {
  if (!(await commitExists(repo, head))) throw missingCommit(head);
  const candidates = defaultBranch ? [`refs/remotes/origin/${defaultBranch}`, `refs/heads/${defaultBranch}`] : [];
  for (const ref of candidates) {
    const sha = await commitExists(repo, ref);
    if (sha && sha !== head) {
      return { target: history(repo, [`${sha}..${head}`]), description: `commits ${sha.slice(0, 7)}..${head.slice(0, 7)} (not on ${defaultBranch})` };
    }
  }
  const why = defaultBranch ? `${defaultBranch} is not in the checkout or is this branch` : 'no default branch is known';
  return { target: history(repo, [head]), description: `every commit reachable from ${head.slice(0, 7)} (${why})` };
}

function missingCommit(sha: string): Error {
  return new Error(`commit ${sha} is not in the checkout: use actions/checkout with \`fetch-depth: 0\``);
}

/** Resolves `plan` against the repository at `repo` (the workspace). */
export async function resolvePlan(repo: string, plan: ScanPlan): Promise<ResolvedScan> {
  switch (plan.kind) {
    case 'nothing':
      return { description: plan.reason };
    case 'files':
      return { target: { kind: 'files', root: repo }, description: plan.reason };
    case 'full-history':
      return { target: history(repo, []), description: plan.reason };
    case 'new-branch': {
      const resolved = await newBranchArgs(repo, plan.head, plan.defaultBranch);
      return { ...resolved, description: `${plan.reason}: ${resolved.description}` };
    }
    case 'range': {
      if (!(await commitExists(repo, plan.head))) throw missingCommit(plan.head);
      if (await commitExists(repo, plan.base)) {
        return { target: history(repo, [`${plan.base}..${plan.head}`]), description: plan.reason };
      }
      const resolved = await newBranchArgs(repo, plan.fallback.head, plan.fallback.defaultBranch);
      return { ...resolved, description: `${plan.reason}; base ${plan.base.slice(0, 7)} is not in the checkout, so ${resolved.description}` };
    }
  }
}
