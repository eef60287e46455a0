// The audit's state file: which repositories are finished (and where their SARIF is), so an interrupted run resumes.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileSafely } from '../safe-fs.js';

/** What is recorded about one repository. */
export type RepoState =
  | { status: 'done'; sarif: string; findings: number; finishedAt: string; seconds: number }
  | { status: 'failed'; error: string; finishedAt: string };

export interface AuditState {
  version: 1;
  /** What the audit covers, e.g. `org:octo-org shard 2/4`: a state for another target is never reused. */
  target: string;
  startedAt: string;
  /** False while a run is under way or was interrupted; a finished run starts afresh next time. */
  complete: boolean;
  repos: Record<string, RepoState>;
}

/** The state file for `target` in `cacheDir`. */
export function statePath(cacheDir: string, target: string): string {
  const id = createHash('sha256').update(target).digest('hex').slice(0, 16);
  return join(cacheDir, 'state', `audit-${id}.json`);
}

/**
 * Loads the state of an interrupted run for `target`, or a fresh one (no file, a finished run, another target,
 * or an unreadable file, which `onProblem` is told about).
 */
export async function loadState(file: string, target: string, now: Date, onProblem: (message: string) => void): Promise<AuditState> {
  const fresh: AuditState = { version: 1, target, startedAt: now.toISOString(), complete: false, repos: {} };
  if (!existsSync(file)) return fresh;
  try {
    const state = JSON.parse(await readFile(file, 'utf8')) as AuditState;
    if (state.version !== 1 || state.target !== target || typeof state.repos !== 'object') return fresh;
    return state.complete ? fresh : state;
  } catch (error) {
    onProblem(`${file}: unreadable audit state, starting afresh (${(error as Error).message})`);
    return fresh;
  }
}

/**
 * Saves states one at a time (concurrent repositories finish in any order), each write atomic: a temporary file
 * renamed over the old one, so a kill mid-write leaves the previous state intact. Mode 0600.
 */
export class StateWriter {
  #queue: Promise<void> = Promise.resolve();

  constructor(readonly file: string, readonly state: AuditState) {}

  /** Records `repo` and saves. */
  record(repo: string, entry: RepoState): Promise<void> {
    this.state.repos[repo] = entry;
    return this.save();
  }

  /** Marks the run finished and saves. */
  finish(): Promise<void> {
    this.state.complete = true;
    return this.save();
  }

  save(): Promise<void> {
    const text = JSON.stringify(this.state, null, 2) + '\n';
    this.#queue = this.#queue.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileSafely(this.file, text);
    });
    return this.#queue;
  }
}
