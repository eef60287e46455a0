// `spillway audit` end to end: a local GitHub API, real repositories served by file URL, the history scan run in-process.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statePath } from '../../src/audit/state.js';
import { auditCommand } from '../../src/cli/commands/audit.js';
import { DIST } from '../helpers/cli.js';
import { sarifErrors } from '../report/schemas.js';
import { runCommand } from '../helpers/run-command.js';
import { commit, fakeAwsKeyId, initRepo, tempDir } from '../helpers/temp-git.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';

const dir = tempDir('audit');
const keys = [fakeAwsKeyId(11), fakeAwsKeyId(12), fakeAwsKeyId(13)];
const source = (name: string): string => initRepo(`${dir.path}/src/${name}`);

const alpha = source('alpha');
commit(alpha, 'add config', { 'config.env': `AWS_ACCESS_KEY_ID=${keys[0]}\n` });
commit(alpha, 'remove config', { 'config.env': null, 'README.md': '# alpha\n' });
const delta = source('delta');
commit(delta, 'deploy', { 'deploy/values.yaml': `aws:\n  accessKeyId: ${keys[1]}\n` });
const gamma = source('gamma');
commit(gamma, 'clean', { 'main.go': 'package main\n' });

let github: FakeGitHub;
const env = (): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  HOME: dir.path,
  GITHUB_API_URL: github.url,
  GITHUB_TOKEN: 'audit-test-token',
  SPILLWAY_FINGERPRINT_KEY: 'audit-test-key',
});

beforeAll(async () => {
  github = await startFakeGitHub({
    orgs: {
      'octo-org': [
        { name: 'alpha', cloneUrl: `file://${alpha}`, size: 50 },
        { name: 'beta', cloneUrl: `file://${dir.path}/src/beta-was-deleted`, size: 10 },
        { name: 'delta', cloneUrl: `file://${delta}`, size: 20 },
        { name: 'gamma', cloneUrl: `file://${gamma}`, size: 30 },
      ],
      'broken-org': [{ name: 'gone', cloneUrl: `file://${dir.path}/nowhere`, size: 1 }],
    },
    maxPageSize: 2,
  });
});
afterAll(async () => {
  await github.close();
  dir.cleanup();
});

const sarifOf = (file: string): Log => JSON.parse(readFileSync(file, 'utf8')) as Log;
const resultsByRepo = (log: Log): Record<string, number> =>
  Object.fromEntries(log.runs.map((run) => [run.properties?.['repository'] as string, run.results?.length ?? 0]));

describe('spillway audit --emit-matrix', () => {
  it('prints a matrix of balanced shards from the listing', async () => {
    const result = await runCommand(auditCommand, ['audit', '--org', 'octo-org', '--shards', '2', '--emit-matrix'], env(), dir.path);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      include: [
        { shard: 0, repos: 'octo-org/alpha,octo-org/beta' },
        { shard: 1, repos: 'octo-org/delta,octo-org/gamma' },
      ],
    });
  });

  it('refuses --shard without --shards and two targets at once', async () => {
    expect((await runCommand(auditCommand, ['audit', '--org', 'o', '--shard', '1'], env(), dir.path)).stderr).toContain('--shard needs --shards');
    const both = await runCommand(auditCommand, ['audit', '--org', 'o', '--user', 'u'], env(), dir.path);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give exactly one of --org, --user and --repos');
  });
});

describe('spillway audit over an organisation', () => {
  const cacheDir = `${dir.path}/cache`;

  it('audits every repository, reports the failing one, and writes one run per repository', async () => {
    const result = await runCommand(auditCommand, ['audit', '--org', 'octo-org', '--cache-dir', cacheDir, '--concurrency', '2', '--output', 'org.sarif'], env(), dir.path);
    expect(result.code).toBe(1);
    const log = sarifOf(`${dir.path}/org.sarif`);
    expect(sarifErrors(log)).toEqual([]);
    expect(resultsByRepo(log)).toEqual({ 'octo-org/alpha': 1, 'octo-org/delta': 1, 'octo-org/gamma': 0 });
    expect(log.runs[0]?.versionControlProvenance?.[0]?.repositoryUri).toBe('https://github.test/octo-org/alpha');
    expect(log.runs[0]?.automationDetails?.id).toBe('spillway-audit/octo-org/alpha/');
    expect(result.stderr).toMatch(/^octo-org\/beta\s+FAILED\s+-\s+git clone failed/m);
    expect(result.stderr).toContain('4 repositories: 3 audited, 1 failed, 2 finding(s)');
    expect(statSync(`${dir.path}/org.sarif`).mode & 0o777).toBe(0o600);
    const everything = result.stdout + result.stderr + readFileSync(`${dir.path}/org.sarif`, 'utf8');
    for (const key of keys) expect(everything).not.toContain(key);
    expect(everything).not.toContain('audit-test-token');
  });

  it('audits one shard on a re-run, fetching into the cached mirrors what was pushed since', async () => {
    commit(gamma, 'oops', { 'ci/env.sh': `export AWS_ACCESS_KEY_ID=${keys[2]}\n` });
    const result = await runCommand(auditCommand, ['audit', '--org', 'octo-org', '--cache-dir', cacheDir, '--shards', '2', '--shard', '1', '-o', 'shard-1.sarif'], env(), dir.path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('auditing 2 repositories (org:octo-org shard 1/2)');
    expect(resultsByRepo(sarifOf(`${dir.path}/shard-1.sarif`))).toEqual({ 'octo-org/delta': 1, 'octo-org/gamma': 1 });
    expect(result.stderr).not.toContain('done in an earlier run');
  });

  it('exits 2 when every repository failed', async () => {
    const result = await runCommand(auditCommand, ['audit', '--org', 'broken-org', '--cache-dir', cacheDir], env(), dir.path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('1 repositories: 0 audited, 1 failed');
  });

  it('resumes after being killed: finished repositories are not audited again', async () => {
    const resumeCache = `${dir.path}/resume-cache`;
    const list = `${dir.path}/repos.txt`;
    writeFileSync(list, [alpha, delta, gamma].map((path) => `file://${path}`).join('\n') + '\n');
    const target = `repos:${list}`;
    // The audit library run in a child process, so that it can be killed for real mid-way.
    const script = `
      import { runAudit } from ${JSON.stringify(`${DIST}audit/audit.js`)};
      import { parseReposList } from ${JSON.stringify(`${DIST}audit/repos.js`)};
      import { readFileSync } from 'node:fs';
      const repos = parseReposList(readFileSync(${JSON.stringify(list)}, 'utf8'), 'repos.txt', 'https://github.com');
      await runAudit({ repos, target: ${JSON.stringify(target)}, cacheDir: ${JSON.stringify(resumeCache)}, concurrency: 1, env: process.env, log: () => {} });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: env(), stdio: 'ignore' });
    const state = statePath(resumeCache, target);
    const finished = (): number => (existsSync(state) ? Object.keys((JSON.parse(readFileSync(state, 'utf8')) as { repos: object }).repos).length : 0);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        try {
          if (finished() >= 1) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve();
          }
        } catch {
          // The state file is replaced atomically, but it may not exist yet.
        }
      }, 10);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the audit finished before it could be interrupted'));
      });
    });
    const done = finished();
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(3);
    const result = await runCommand(auditCommand, ['audit', '--repos', list, '--cache-dir', resumeCache, '--concurrency', '1'], env(), dir.path);
    expect(result.stderr.match(/done in an earlier run, skipped/g)).toHaveLength(done);
    expect(Object.keys(resultsByRepo(JSON.parse(result.stdout) as Log))).toEqual(['src/alpha', 'src/delta', 'src/gamma']);
    expect((JSON.parse(readFileSync(statePath(resumeCache, target), 'utf8')) as { complete: boolean }).complete).toBe(true);
  });
});
