// A journaled plan is resumed only when it is the plan of this very input: a journal names what it rotates.
import type { RepoRef } from './github/repo-ref.js';
import type { RemediationPlan } from './plan.js';
import { targetName, type StoreTarget } from './target.js';

/** What the user asked for on this run: the plan being resumed must derive from it. */
export interface ResumeInput {
  journalId: string;
  journalFile: string;
  /** The fingerprint of the finding read from --report. */
  fingerprint?: string;
  /** --vault-path/--property, or --aws-secret. */
  explicit?: StoreTarget;
  /** --github, else [remediate] issue-repo. */
  github?: RepoRef;
}

const repoName = (r: RepoRef | undefined) => (r ? `${r.owner}/${r.repo}` : 'none');

/** Throws an Error naming the journal when its plan is for another incident, finding, target or issue repository. */
export function checkResumedPlan(plan: RemediationPlan, input: ResumeInput): void {
  const refuse = (why: string) => new Error(`${input.journalFile}: the journaled plan ${why}: refusing to resume it (move the journal away to plan afresh)`);
  if (plan.incident !== input.journalId) throw refuse(`is for incident ${plan.incident}, not ${input.journalId}`);
  if (input.fingerprint !== undefined && plan.finding?.fingerprint !== input.fingerprint) throw refuse(`is for another finding (${plan.finding?.fingerprint ?? 'none'})`);
  if (input.explicit && targetName(plan.target) !== targetName(input.explicit)) throw refuse(`rotates ${targetName(plan.target)}, not ${targetName(input.explicit)}`);
  if (input.github && plan.github && repoName(plan.github) !== repoName(input.github)) throw refuse(`opens its issue in ${repoName(plan.github)}, not ${repoName(input.github)}`);
}
