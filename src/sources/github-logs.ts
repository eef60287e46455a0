// GitHub Actions logs through the REST API: one job's log, one run's log archive, or every run since a date.
import { Octokit } from '@octokit/rest';
import pLimit from 'p-limit';
import { formatBytes, guardedFetch } from '../net/guarded-fetch.js';
import { collectPages } from '../net/paginate.js';
import { serverText } from '../net/server-text.js';
import { scrubCredential } from '../remediate/errors.js';
import type { FetchLike } from '../remediate/http.js';
import type { Chunk, ScanNote, Source } from '../types.js';
import { ciLogChunks } from './ci-logs.js';
import { unzipCapped } from './unzip-capped.js';

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
  /** Largest download (a run's log archive) read, in bytes (default 128 MiB). */
  maxDownloadBytes?: number;
  /** Most bytes unpacked from one run's log archive (default 256 MiB): a zip bomb stops there, with a note. */
  maxUnzippedBytes?: number;
  /** The HTTP seam; the shared policy (src/net/guarded-fetch.ts) by default, following GitHub's download redirects without the token. */
  fetch?: FetchLike;
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
    scrubCredential(opts.token);
    const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    // Rate limits are waited out by attempt() below, so the guard itself does not retry.
    const fetch = opts.fetch ?? guardedFetch({ crossOriginRedirects: 'without-credentials', retries: 0, maxBodyBytes: opts.maxDownloadBytes ?? 128 * 1024 * 1024 });
    this.octokit = new Octokit({ ...(opts.token ? { auth: opts.token } : {}), baseUrl: opts.baseUrl ?? 'https://api.github.com', log: silent, request: { fetch } });
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
    const what = `runs since ${since}`;
    const pages = await this.attempt(what, () =>
      collectPages(this.octokit.paginate.iterator(this.octokit.rest.actions.listWorkflowRunsForRepo, { owner: this.owner, repo: this.repo, created: `>=${since}`, per_page: 100 }), what),
    );
    if (pages?.stopped) this.notes.push({ level: 'warning', input: `${this.owner}/${this.repo}`, message: `${pages.stopped}; later runs were not scanned` });
    const limit = pLimit(this.opts.concurrency ?? 4);
    const perRun = await Promise.all((pages?.items ?? []).map((run) => limit(() => this.runChunks(run))));
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
    const maxUnzipped = this.opts.maxUnzippedBytes ?? 256 * 1024 * 1024;
    const { files, error, cut } = unzipCapped(asBytes(archive.data), maxUnzipped);
    if (error !== undefined) this.notes.push({ level: 'error', input: `${this.base}/${run.id}`, message: `log archive is not a readable zip: ${serverText(error)}` });
    if (cut !== undefined) {
      this.notes.push({
        level: 'warning',
        input: `${this.base}/${run.id}`,
        message: `log archive unpacks to more than ${formatBytes(maxUnzipped)}: scanned what came before (${cut} cut short, later files skipped)`,
      });
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
  // A server's error body may echo anything (a token): only the policy's own words, or the status, are shown.
  const policy = (error as { cause?: unknown }).cause;
  if (policy instanceof Error && policy.name === 'HttpPolicyError') return policy.message;
  if (!(error as { response?: unknown }).response) {
    const code = (policy as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    return `no answer from the server${typeof code === 'string' ? ` (${code})` : ''}`;
  }
  const data = (error as { response?: { data?: { message?: unknown } } }).response?.data;
  const said = typeof data?.message === 'string' && status !== undefined && status < 500 ? `: ${serverText(data.message)}` : '';
  return status === undefined ? 'request failed' : `request failed (status ${status})${said}`;
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
