// GitHub Actions logs through the REST API: one job's log, one run's log archive, or every run since a date.
import { Octokit } from '@octokit/rest';
import { unzipSync } from 'fflate';
import pLimit from 'p-limit';
import type { Chunk, ScanNote, Source } from '../types.js';
import { ciLogChunks } from './ci-logs.js';

export interface GithubLogsOptions {
  /** `owner/name`. */
  repository: string;
  runId?: number;
  jobId?: number;
  /** ISO date: every run created on or after it. */
  since?: string;
  token?: string;
  /** REST base URL (GITHUB_API_URL); default https://api.github.com. */
  baseUrl?: string;
  /** Runs downloaded at once with --since (default 4). */
  concurrency?: number;
  /** Retries of a rate-limited request (default 3). */
  maxRetries?: number;
  /** Longest wait for a rate limit to reset before giving up (default 15 minutes). */
  maxWaitMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
}

interface Run {
  id: number;
  name?: string | null;
}

/** Chunks of GitHub Actions logs, with run, job and step in provenance; problems go to `notes`. */
export class GithubLogsSource implements Source {
  readonly notes: ScanNote[] = [];
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;

  constructor(private readonly opts: GithubLogsOptions) {
    const [owner, repo, extra] = opts.repository.split('/');
    if (!owner || !repo || extra !== undefined) throw new TypeError(`--github must be OWNER/REPO, got "${opts.repository}"`);
    if (opts.runId === undefined && opts.jobId === undefined && opts.since === undefined) {
      throw new TypeError('--github needs --run RUN_ID, --job JOB_ID or --since DATE');
    }
    if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) throw new TypeError(`--since must be a date (YYYY-MM-DD), got "${opts.since}"`);
    this.owner = owner;
    this.repo = repo;
    const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    this.octokit = new Octokit({ ...(opts.token ? { auth: opts.token } : {}), baseUrl: opts.baseUrl ?? 'https://api.github.com', log: silent });
  }

  async *chunks(): AsyncIterable<Chunk> {
    const { runId, jobId, since } = this.opts;
    if (jobId !== undefined) {
      yield* await this.jobChunks(jobId, runId);
      return;
    }
    if (runId !== undefined) {
      yield* await this.runChunks({ id: runId });
      return;
    }
    const runs = await this.attempt(`runs since ${since}`, () =>
      this.octokit.paginate(this.octokit.rest.actions.listWorkflowRunsForRepo, { owner: this.owner, repo: this.repo, created: `>=${since}`, per_page: 100 }),
    );
    const limit = pLimit(this.opts.concurrency ?? 4);
    const perRun = await Promise.all((runs ?? []).map((run) => limit(() => this.runChunks(run))));
    for (const chunks of perRun) yield* chunks;
  }

  private get base(): string {
    return `${this.owner}/${this.repo}/actions/runs`;
  }

  private async jobChunks(jobId: number, runId?: number): Promise<Chunk[]> {
    const job = await this.attempt(`job ${jobId}`, () => this.octokit.rest.actions.getJobForWorkflowRun({ owner: this.owner, repo: this.repo, job_id: jobId }));
    if (!job) return [];
    const log = await this.attempt(`job ${jobId} logs`, () =>
      this.octokit.rest.actions.downloadJobLogsForWorkflowRun({ owner: this.owner, repo: this.repo, job_id: jobId }),
    );
    if (!log) return [];
    const run = String(runId ?? job.data.run_id);
    return ciLogChunks(asText(log.data), { kind: 'ci-log', path: `${this.base}/${run}/jobs/${jobId}`, run, job: job.data.name });
  }

  /** A run's log archive: per-step files when it has them, else each job's whole log split at its steps. */
  private async runChunks(run: Run): Promise<Chunk[]> {
    const archive = await this.attempt(`run ${run.id} logs`, () =>
      this.octokit.rest.actions.downloadWorkflowRunLogs({ owner: this.owner, repo: this.repo, run_id: run.id }),
    );
    if (!archive) return [];
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(asBytes(archive.data));
    } catch (error) {
      this.notes.push({ level: 'error', input: `${this.base}/${run.id}`, message: `log archive is not a readable zip: ${(error as Error).message}` });
      return [];
    }
    const names = Object.keys(files).filter((name) => name.endsWith('.txt')).sort(byNumber);
    const jobsWithSteps = new Set(names.filter((n) => /^[^/]+\/\d+_[^/]+\.txt$/.test(n)).map((n) => n.slice(0, n.indexOf('/'))));
    const chunks: Chunk[] = [];
    for (const name of names) {
      const slash = name.indexOf('/');
      const job = slash === -1 ? name.replace(/^\d+_/, '').replace(/\.txt$/, '') : name.slice(0, slash);
      if (slash === -1 && jobsWithSteps.has(job)) continue;
      const step = slash === -1 ? undefined : name.slice(slash + 1).replace(/^\d+_/, '').replace(/\.txt$/, '');
      const text = new TextDecoder().decode(files[name]);
      const provenance = { kind: 'ci-log' as const, path: `${this.base}/${run.id}/${name}`, run: String(run.id), job, ...(step ? { step } : {}) };
      chunks.push(...ciLogChunks(text, provenance));
    }
    return chunks;
  }

  /** Runs a request, waiting out rate limits; other failures become a note and undefined. */
  private async attempt<T>(what: string, request: () => Promise<T>): Promise<T | undefined> {
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const maxRetries = this.opts.maxRetries ?? 3;
    const maxWait = this.opts.maxWaitMs ?? 15 * 60 * 1000;
    const input = `${this.owner}/${this.repo}: ${what}`;
    for (let retry = 0; ; retry++) {
      try {
        return await request();
      } catch (error) {
        const status = (error as { status?: number }).status;
        const wait = rateLimitWait(error);
        if (wait !== undefined && retry < maxRetries && wait <= maxWait) {
          await sleep(wait);
          continue;
        }
        this.notes.push({ level: status === 404 || status === 410 ? 'warning' : 'error', input, message: describeFailure(error, wait) });
        return undefined;
      }
    }
  }
}

/** Milliseconds to wait before retrying a rate-limited request, or undefined when it is not rate-limited. */
export function rateLimitWait(error: unknown, now = Date.now()): number | undefined {
  const { status, response } = error as { status?: number; response?: { headers?: Record<string, string | number | undefined> } };
  if (status !== 403 && status !== 429) return undefined;
  const headers = response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return Math.max(0, retryAfter * 1000);
  const reset = Number(headers['x-ratelimit-reset']);
  if (String(headers['x-ratelimit-remaining']) === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1000 - now) + 1000;
  // A secondary rate limit without headers: GitHub asks for at least a minute.
  return status === 429 ? 60_000 : undefined;
}

function describeFailure(error: unknown, wait: number | undefined): string {
  const status = (error as { status?: number }).status;
  if (wait !== undefined) return `rate limited (status ${status}); gave up after waiting (reset in ${Math.ceil(wait / 1000)} s)`;
  if (status === 404) return 'not found (no such run or job, logs expired, or the token cannot read Actions)';
  if (status === 410) return 'logs are gone (expired or deleted)';
  if (status === 401 || status === 403) return `access denied (status ${status}): set GITHUB_TOKEN to a token with actions:read`;
  return (error as Error).message.split('\n')[0] ?? 'request failed';
}

function asText(data: unknown): string {
  return typeof data === 'string' ? data : new TextDecoder().decode(asBytes(data));
}

function asBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (typeof data === 'string') return new TextEncoder().encode(data);
  throw new TypeError('unexpected response body');
}

/** Orders `2_x.txt` before `10_x.txt`. */
function byNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
