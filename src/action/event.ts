// Decides what to scan from the workflow event (GITHUB_EVENT_NAME and its payload) and the `mode` input.
import type { ActionMode } from './inputs.js';

/** What the action will scan, before the revisions are checked against the repository. */
export type ScanPlan =
  /** The working tree (`spillway scan`). */
  | { kind: 'files'; reason: string }
  /** Every commit reachable from every ref (`spillway history`). */
  | { kind: 'full-history'; reason: string }
  /** Commits in `head` and not in `base` (`spillway history base..head`). */
  | { kind: 'range'; base: string; head: string; reason: string; fallback: FallbackPlan }
  /** A new branch: commits in `head` not on the default branch. */
  | { kind: 'new-branch'; head: string; defaultBranch?: string; reason: string }
  /** Nothing to scan (a deleted branch). */
  | { kind: 'nothing'; reason: string };

/** What to do when the base of a range is not in the checkout (a forced push, a shallow clone). */
export type FallbackPlan = { kind: 'new-branch'; head: string; defaultBranch?: string };

/** The parts of the pull_request and push payloads we read (see GitHub's webhook payload docs). */
interface EventPayload {
  pull_request?: { base?: { sha?: string; ref?: string }; head?: { sha?: string; ref?: string } };
  before?: string;
  after?: string;
  ref?: string;
  created?: boolean;
  deleted?: boolean;
  forced?: boolean;
  repository?: { default_branch?: string };
}

const ZERO_SHA = /^0+$/;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

function sha(value: unknown, what: string): string {
  if (typeof value !== 'string' || !SHA.test(value)) {
    throw new TypeError(`Event payload: ${what} is not a commit id (got ${JSON.stringify(value)})`);
  }
  return value.toLowerCase();
}

function diffPlan(eventName: string, payload: EventPayload): ScanPlan | undefined {
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = payload.pull_request;
    if (!pr) throw new TypeError(`Event payload of ${eventName} has no pull_request object`);
    const base = sha(pr.base?.sha, 'pull_request.base.sha');
    const head = sha(pr.head?.sha, 'pull_request.head.sha');
    const fallback: FallbackPlan = { kind: 'new-branch', head };
    if (pr.base?.ref) fallback.defaultBranch = pr.base.ref;
    return { kind: 'range', base, head, reason: `pull request: commits ${base.slice(0, 7)}..${head.slice(0, 7)}`, fallback };
  }
  if (eventName === 'push') {
    const after = typeof payload.after === 'string' ? payload.after : '';
    if (payload.deleted || ZERO_SHA.test(after)) return { kind: 'nothing', reason: `push deleted ${payload.ref ?? 'a ref'}: nothing to scan` };
    const head = sha(after, 'after');
    const defaultBranch = payload.repository?.default_branch;
    const newBranch: FallbackPlan = { kind: 'new-branch', head };
    if (defaultBranch) newBranch.defaultBranch = defaultBranch;
    const before = typeof payload.before === 'string' ? payload.before : '';
    if (payload.created || ZERO_SHA.test(before) || before === '') {
      return { ...newBranch, reason: `push created ${payload.ref ?? 'a ref'}` };
    }
    const base = sha(before, 'before');
    const forced = payload.forced ? ' (forced push)' : '';
    return { kind: 'range', base, head, reason: `push: commits ${base.slice(0, 7)}..${head.slice(0, 7)}${forced}`, fallback: newBranch };
  }
  return undefined;
}

/** The base and head commits of a pull_request or pull_request_target event; undefined for any other event. */
export function pullRequestCommits(eventName: string, payload: unknown): { base: string; head: string } | undefined {
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') return undefined;
  const pr = (payload && typeof payload === 'object' ? (payload as EventPayload) : {}).pull_request;
  if (!pr) throw new TypeError(`Event payload of ${eventName} has no pull_request object`);
  return { base: sha(pr.base?.sha, 'pull_request.base.sha'), head: sha(pr.head?.sha, 'pull_request.head.sha') };
}

/**
 * The scan plan for an event. `auto`: pull_request and push scan the commits they add, any other event
 * (schedule, workflow_dispatch...) the full history. `diff` is the same but says so when the event has no range;
 * `history` and `files` ignore the event.
 */
export function planScan(mode: ActionMode, eventName: string, payload: unknown): ScanPlan {
  if (mode === 'files') return { kind: 'files', reason: 'mode files: the working tree' };
  if (mode === 'history') return { kind: 'full-history', reason: 'mode history: every commit' };
  const event = (payload && typeof payload === 'object' ? payload : {}) as EventPayload;
  const plan = diffPlan(eventName, event);
  if (plan) return plan;
  const why = mode === 'diff' ? `mode diff: event ${eventName || '(none)'} has no commit range, so` : `event ${eventName || '(none)'}:`;
  return { kind: 'full-history', reason: `${why} every commit` };
}
