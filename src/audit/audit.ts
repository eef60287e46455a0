// The organisation audit: mirror each repository, run the history scan on it in this process (bounded concurrency), merge the SARIF.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import pLimit from 'p-limit';
import type { Log } from 'sarif';
import { buildSarifRun, sarifLog } from '../report/sarif.js';
import { runScan, type RunScanResult } from '../scan/run-scan.js';
import { ScanSetupError } from '../scan/setup.js';
import { repoInfo } from '../sources/git/repo-info.js';
import { VERSION } from '../version.js';
import { mergeSarif, parseSarif } from './merge-sarif.js';
import { repoNameParts, scrubCredentials, syncMirror } from './mirror.js';
import type { RepoRef } from './repos.js';
import { loadState, statePath, StateWriter, type RepoState } from './state.js';
import { writeFileSafely } from '../safe-fs.js';

export interface AuditOptions {
  repos: RepoRef[];
  /** What is audited (`org:NAME`, `user:NAME`, `repos:FILE`, plus the shard): keys the resumable state. */
  target: string;
  cacheDir: string;
  concurrency: number;
  /** Sent to `authOrigin` only, when cloning over https. */
  token?: string;
  authOrigin?: string;
  /** Environment of the history scans (SPILLWAY_FINGERPRINT_KEY matters: shards must share it). */
  env: Record<string, string | undefined>;
  /** Progress and problems, one line each. */
  log: (line: string) => void;
  /** The clock, for the state's timestamps. */
  now?: () => Date;
}

/** How one repository went. */
export interface RepoOutcome {
  repo: string;
  state: RepoState;
  /** True when this run skipped it because an interrupted run had finished it. */
  resumed: boolean;
}

export interface AuditOutcome {
  /** One run per audited repository, in name order. */
  log: Log;
  repos: RepoOutcome[];
  failed: number;
  findings: number;
}

/** Marks every run of a repository's log with the repository, so a merged log says which run is which. */
function stamp(log: Log, repo: RepoRef): void {
  const uri = scrubCredentials(repo.htmlUrl ?? repo.cloneUrl);
  for (const run of log.runs) {
    const [first, ...rest] = run.versionControlProvenance ?? [];
    run.versionControlProvenance = [{ ...first, repositoryUri: uri }, ...rest];
    run.automationDetails = { ...run.automationDetails, id: `spillway-audit/${repo.fullName}/` };
    run.properties = { ...run.properties, repository: repo.fullName };
  }
}

function resultsPath(cacheDir: string, repo: RepoRef): string {
  const [owner, name] = repoNameParts(repo);
  return join(cacheDir, 'results', owner, `${name}.sarif`);
}

/** What `spillway history --repo MIRROR` does, in this process: every ref, findings from low confidence up, the mirror's clean-blob cache. */
async function scanMirror(path: string, repo: RepoRef, options: AuditOptions): Promise<RunScanResult> {
  const info = await repoInfo(path);
  try {
    const result = await runScan({ target: { kind: 'history', repo: path, repoInfo: info, revs: [] }, root: info.root, env: options.env, minConfidence: 'low' });
    for (const p of result.problems) options.log(`${repo.fullName}: config ${p.level}: ${p.message}`);
    return result;
  } catch (error) {
    if (!(error instanceof ScanSetupError)) throw error;
    const errors = error.problems.filter((p) => p.level === 'error').map((p) => p.message);
    throw new Error(`history audit failed: ${[...errors, error.message].join('; ')}`);
  }
}

async function auditOne(repo: RepoRef, options: AuditOptions): Promise<RepoState> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  try {
    const mirror = await syncMirror(options.cacheDir, repo, { token: options.token, authOrigin: options.authOrigin });
    const sarif = resultsPath(options.cacheDir, repo);
    await mkdir(dirname(sarif), { recursive: true });
    const result = await scanMirror(mirror.path, repo, options);
    const log = sarifLog([buildSarifRun(result.findings, { rules: result.rules, info: result.info, notes: result.notes, toolVersion: VERSION, showSecrets: false })]);
    stamp(log, repo);
    await writeFileSafely(sarif, JSON.stringify(log, null, 2) + '\n');
    const findings = log.runs.reduce((sum, one) => sum + (one.results?.length ?? 0), 0);
    return { status: 'done', sarif, findings, finishedAt: now().toISOString(), seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    return { status: 'failed', error: scrubCredentials((error as Error).message), finishedAt: now().toISOString() };
  }
}

/**
 * Audits every repository (at most `concurrency` at once). A failing repository is recorded and the rest go on.
 * The state file records each finished repository, so after an interruption a new run skips those.
 */
export async function runAudit(options: AuditOptions): Promise<AuditOutcome> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new TypeError(`--concurrency must be a positive integer; got ${options.concurrency}`);
  }
  const now = options.now ?? (() => new Date());
  const file = statePath(options.cacheDir, options.target);
  const state = await loadState(file, options.target, now(), options.log);
  const writer = new StateWriter(file, state);
  await writer.save();
  const limit = pLimit(options.concurrency);
  let finished = 0;
  const outcomes = await Promise.all(
    options.repos.map((repo) =>
      limit(async (): Promise<RepoOutcome> => {
        const previous = state.repos[repo.fullName];
        if (previous?.status === 'done' && existsSync(previous.sarif)) {
          finished += 1;
          options.log(`[${finished}/${options.repos.length}] ${repo.fullName}: done in an earlier run, skipped`);
          return { repo: repo.fullName, state: previous, resumed: true };
        }
        const result = await auditOne(repo, options);
        await writer.record(repo.fullName, result);
        finished += 1;
        const what = result.status === 'done' ? `${result.findings} finding(s)` : `FAILED: ${result.error}`;
        options.log(`[${finished}/${options.repos.length}] ${repo.fullName}: ${what}`);
        return { repo: repo.fullName, state: result, resumed: false };
      }),
    ),
  );
  const logs: Log[] = [];
  for (const outcome of outcomes) {
    if (outcome.state.status === 'done') logs.push(parseSarif(await readFile(outcome.state.sarif, 'utf8'), outcome.state.sarif));
  }
  await writer.finish();
  const { log } = mergeSarif(logs);
  return {
    log,
    repos: outcomes,
    failed: outcomes.filter((outcome) => outcome.state.status === 'failed').length,
    findings: log.runs.reduce((sum, run) => sum + (run.results?.length ?? 0), 0),
  };
}
