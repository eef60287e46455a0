// GitHub Actions logs through the REST API, against a local server that plays the documented endpoints.
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GithubLogsSource, rateLimitWait } from '../../src/sources/github-logs.js';
import type { GithubLogsOptions } from '../../src/sources/github-logs.js';
import type { Chunk, Finding } from '../../src/types.js';
import { builtinDetector } from '../helpers/detector.js';
import { startFakeGithub } from './github-server.js';
import type { FakeGithub } from './github-server.js';

const TOKEN = 'test-token-' + 'a'.repeat(8);
const ts = (s: string): string => `2024-03-01T10:00:00.0000000Z ${s}`;
const leak = (name: string): string => `+ curl -fsS -u deploy:${name}-f4ke-pass https://artifacts.internal/x.tgz`;

let github: FakeGithub;
const slept: number[] = [];

beforeAll(async () => {
  github = await startFakeGithub({
    token: TOKEN,
    runs: [
      { id: 101, created_at: '2024-03-01T10:00:00Z' },
      { id: 102, created_at: '2024-03-02T10:00:00Z' },
      { id: 99, created_at: '2024-02-01T10:00:00Z' },
    ],
    runLogs: {
      // A run archive with per-step files: the job's whole log (1_build.txt) is skipped in favour of them.
      101: zipSync({
        '1_build.txt': strToU8([ts('Set up'), ts(leak('Whole'))].join('\n')),
        'build/1_Set up job.txt': strToU8(ts('Current runner version')),
        'build/2_Deploy.txt': strToU8([ts('##[group]Run ./deploy.sh'), ts('##[endgroup]'), ts(leak('Step'))].join('\n')),
      }),
      // An archive without step files: the job log is split at its `##[group]Run` lines.
      102: zipSync({ '1_test.txt': strToU8([ts('Set up'), ts('##[group]Run ./test.sh'), ts(leak('Split'))].join('\n')) }),
      99: zipSync({ '1_old.txt': strToU8(ts(leak('Old'))) }),
    },
    jobs: { 555: { run_id: 101, name: 'build', log: [ts('##[group]Run ./deploy.sh'), ts('masked: ***'), ts(leak('Job'))].join('\r\n') } },
    rateLimitedOnce: ['/repos/acme/app/actions/jobs/555/logs'],
  });
});

afterAll(() => github.close());

async function collect(opts: Partial<GithubLogsOptions>): Promise<{ chunks: Chunk[]; findings: Finding[]; source: GithubLogsSource }> {
  const source = new GithubLogsSource({
    repository: 'acme/app',
    token: TOKEN,
    baseUrl: github.url,
    sleep: async (ms) => void slept.push(ms),
    ...opts,
  });
  const chunks: Chunk[] = [];
  for await (const chunk of source.chunks()) chunks.push(chunk);
  const detector = await builtinDetector();
  return { chunks, findings: chunks.flatMap((c) => detector.detect(c)), source };
}

const where = (f: Finding) => {
  const p = f.provenance.kind === 'ci-log' ? f.provenance : undefined;
  return [p?.run, p?.job, p?.step, f.location.path, f.location.startLine, f.ruleId, f.secret.reveal()];
};

describe('GithubLogsSource', () => {
  it('--run: follows the redirect, unzips the archive, reports job, step and line', async () => {
    const { findings, source } = await collect({ runId: 101 });
    expect(source.notes).toEqual([]);
    expect(findings.map(where)).toEqual([['101', 'build', 'Deploy', 'acme/app/actions/runs/101/build/2_Deploy.txt', 3, 'dockerfile-run-basic-auth', 'Step-f4ke-pass']]);
    expect(github.requests.filter((r) => !r.path.startsWith('/_blob/')).every((r) => r.authorized)).toBe(true);
  });

  it('--run on an archive without step files splits the job log at its steps', async () => {
    const { findings } = await collect({ runId: 102 });
    expect(findings.map(where)).toEqual([['102', 'test', './test.sh', 'acme/app/actions/runs/102/1_test.txt', 3, 'dockerfile-run-basic-auth', 'Split-f4ke-pass']]);
  });

  it('--job: waits out a 403 rate limit (x-ratelimit-reset), then downloads the job log', async () => {
    slept.length = 0;
    const { findings, source } = await collect({ jobId: 555 });
    expect(source.notes).toEqual([]);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(0);
    expect(slept[0]).toBeLessThanOrEqual(2000);
    expect(findings.map(where)).toEqual([['101', 'build', './deploy.sh', 'acme/app/actions/runs/101/jobs/555', 3, 'dockerfile-run-basic-auth', 'Job-f4ke-pass']]);
  });

  it('--since: every run created since the date, with bounded concurrency', async () => {
    const { findings, source } = await collect({ since: '2024-03-01', concurrency: 2 });
    expect(source.notes).toEqual([]);
    expect(findings.map((f) => f.secret.reveal())).toEqual(['Step-f4ke-pass', 'Split-f4ke-pass']);
    expect(github.requests.some((r) => r.path === '/repos/acme/app/actions/runs?created=%3E%3D2024-03-01&per_page=100')).toBe(true);
  });

  it('a missing run is a warning naming it, not a crash', async () => {
    const { chunks, source } = await collect({ runId: 404 });
    expect(chunks).toEqual([]);
    expect(source.notes).toEqual([
      { level: 'warning', input: 'acme/app: run 404 logs', message: 'not found (no such run or job, logs expired, or the token cannot read Actions)' },
    ]);
  });

  it('a bad token is an error that says what to do, and never contains the token', async () => {
    const { source } = await collect({ runId: 101, token: 'wrong-token' });
    expect(source.notes).toHaveLength(1);
    expect(source.notes[0]!.level).toBe('error');
    expect(JSON.stringify(source.notes)).not.toContain('wrong-token');
  });

  it('rejects bad options with a TypeError naming the option', () => {
    expect(() => new GithubLogsSource({ repository: 'acme', runId: 1 })).toThrow(/--github must be OWNER\/REPO/);
    expect(() => new GithubLogsSource({ repository: 'acme/app' })).toThrow(/--run RUN_ID, --job JOB_ID or --since DATE/);
    expect(() => new GithubLogsSource({ repository: 'acme/app', since: 'yesterday' })).toThrow(/--since must be a date/);
  });
});

describe('rateLimitWait', () => {
  const now = 1_700_000_000_000;
  it('uses retry-after, then x-ratelimit-reset, and ignores a 403 that is not a rate limit', () => {
    expect(rateLimitWait({ status: 429, response: { headers: { 'retry-after': '7' } } }, now)).toBe(7000);
    expect(rateLimitWait({ status: 403, response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) } } }, now)).toBe(31_000);
    expect(rateLimitWait({ status: 403, response: { headers: {} } }, now)).toBeUndefined();
    expect(rateLimitWait({ status: 404, response: { headers: { 'retry-after': '1' } } }, now)).toBeUndefined();
    expect(rateLimitWait({ status: 429, response: { headers: {} } }, now)).toBe(60_000);
  });
});

const live = process.env.GITHUB_TOKEN && process.env.GITHUB_API_URL && process.env.SPILLWAY_LIVE_GITHUB_REPO;
describe.skipIf(!live)('GithubLogsSource against the real API (GITHUB_TOKEN, GITHUB_API_URL, SPILLWAY_LIVE_GITHUB_REPO)', () => {
  it('sweeps the last day of runs without errors', async () => {
    const source = new GithubLogsSource({
      repository: process.env.SPILLWAY_LIVE_GITHUB_REPO!,
      token: process.env.GITHUB_TOKEN!,
      baseUrl: process.env.GITHUB_API_URL!,
      since: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
    });
    for await (const chunk of source.chunks()) expect(chunk.place).toBe('ci-log');
    expect(source.notes.filter((n) => n.level === 'error')).toEqual([]);
  });
});
if (!live) console.info('github-logs: live API test skipped (set GITHUB_TOKEN, GITHUB_API_URL and SPILLWAY_LIVE_GITHUB_REPO to run it)');
