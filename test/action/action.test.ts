// The action end to end: dist/action/main.js in a simulated GitHub Actions environment over a real repository.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { redact } from '../../src/secret.js';
import { cliHas, DIST } from '../helpers/cli.js';
import { commit, fakeAwsKeyId, git, initRepo, tempDir } from '../helpers/temp-git.js';

const keyInFirst = fakeAwsKeyId(1);
const keyInSecond = fakeAwsKeyId(2);
const keyInThird = fakeAwsKeyId(3);

const dir = tempDir('action');
const repo = initRepo(`${dir.path}/workspace`);
const c1 = commit(repo, 'Initial import', { 'README.md': '# demo\n', 'old.env': `AWS_ACCESS_KEY_ID=${keyInFirst}\n` });
const c2 = commit(repo, 'Configure the service', { 'old.env': null, 'config.env': `REGION=eu-west-1\nAWS_ACCESS_KEY_ID=${keyInSecond}\n` });
git(repo, 'checkout', '-q', '-b', 'feature');
const c3 = commit(repo, 'Add deployment settings', { 'deploy/app.yaml': `env:\n  - name: AWS_ACCESS_KEY_ID\n    value: ${keyInThird}\n` });

interface ActionRun {
  code: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

function event(name: string, shas: Record<string, string>): string {
  let text = readFileSync(new URL(`../../fixtures/action/events/${name}.json`, import.meta.url), 'utf8');
  for (const [fake, real] of Object.entries(shas)) text = text.replaceAll(fake, real);
  const file = `${dir.path}/${name}-${Math.random().toString(36).slice(2)}.json`;
  writeFileSync(file, text);
  return file;
}

/** Parses `name<<DELIM\nvalue\nDELIM` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  return outputs;
}

function runAction(eventName: string, eventFile: string, inputs: Record<string, string>): ActionRun {
  const tag = Math.random().toString(36).slice(2);
  const summaryFile = `${dir.path}/summary-${tag}.md`;
  const outputFile = `${dir.path}/output-${tag}`;
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: dir.path,
    SPILLWAY_FINGERPRINT_KEY: 'action-test-key',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: dir.path,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  const result = spawnSync(process.execPath, [`${DIST}action/main.js`], { cwd: repo, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout + result.stderr, summary: readFileSync(summaryFile, 'utf8'), outputs: parseOutputs(readFileSync(outputFile, 'utf8')) };
}

function expectNoSecret(run: ActionRun): void {
  const everything = run.stdout + run.summary + JSON.stringify(run.outputs);
  for (const key of [keyInFirst, keyInSecond, keyInThird]) expect(everything).not.toContain(key);
}

afterAll(dir.cleanup);

describe.skipIf(!cliHas('history'))('the action over a real repository', () => {
  it('on push scans before..after only: the key added in that push, with its commit', () => {
    const run = runAction('push', event('push', { ['1'.repeat(40)]: c2, ['2'.repeat(40)]: c3 }), { 'fail-on': 'any' });
    expect(run.stdout).toContain(`push: commits ${c2.slice(0, 7)}..${c3.slice(0, 7)}`);
    expect(run.outputs['findings'], run.stdout).toBe('1');
    expect(run.summary).toContain(`| aws-access-key-id | deploy/app.yaml | 3 | ${c3.slice(0, 12)} | ${redact(keyInThird)} |`);
    expect(run.stdout).toMatch(/^::error file=deploy\/app\.yaml,line=3,endLine=3,col=\d+,endColumn=\d+,title=spillway%3A aws-access-key-id::/m);
    expect(run.code).toBe(1);
    expectNoSecret(run);
  });

  it('on pull_request scans base..head: both keys the branch adds, not the one deleted before it', () => {
    const run = runAction('pull_request', event('pull_request', { ['1'.repeat(40)]: c1, ['2'.repeat(40)]: c3 }), { 'fail-on': 'none' });
    expect(run.outputs['findings'], run.stdout).toBe('2');
    expect(run.summary).toContain('| config.env |');
    expect(run.summary).toContain('| deploy/app.yaml |');
    expect(run.summary).not.toContain('old.env');
    expect(run.code).toBe(0);
    expectNoSecret(run);
  });

  it('on schedule scans the full history, including a key deleted long ago, and writes the SARIF where asked', () => {
    const run = runAction('schedule', event('schedule', {}), { 'fail-on': 'high', 'sarif-file': 'reports/spillway.sarif' });
    expect(run.outputs['findings'], run.stdout).toBe('3');
    expect(run.outputs['sarif-file']).toBe(`${repo}/reports/spillway.sarif`);
    expect(run.summary).toContain(`| old.env | 1 | ${c1.slice(0, 12)} |`);
    const sarif = JSON.parse(readFileSync(`${repo}/reports/spillway.sarif`, 'utf8')) as { runs: { results: unknown[] }[] };
    expect(sarif.runs[0]?.results).toHaveLength(3);
    expect(run.code).toBe(1);
    expectNoSecret(run);
  });

  it('after a forced push whose old head is gone, scans what the branch adds over the default branch', () => {
    const gone = 'f'.repeat(40);
    const run = runAction('push', event('push-forced', { ['1'.repeat(40)]: gone, ['2'.repeat(40)]: c3 }), { 'fail-on': 'none' });
    expect(run.stdout).toContain(`(forced push); base fffffff is not in the checkout, so commits ${c2.slice(0, 7)}..${c3.slice(0, 7)} (not on main)`);
    expect(run.outputs['findings'], run.stdout).toBe('1');
    expect(run.code).toBe(0);
  });

  it('on a new branch scans what it adds over the default branch', () => {
    const run = runAction('push', event('push-new-branch', { ['2'.repeat(40)]: c3 }), {});
    expect(run.stdout).toContain(`push created refs/heads/feature/tokens: commits ${c2.slice(0, 7)}..${c3.slice(0, 7)} (not on main)`);
    expect(run.outputs['findings'], run.stdout).toBe('1');
    expect(run.code).toBe(1);
  });
});

describe('the action without a scan', () => {
  it('skips a deleted branch with zero findings and exit 0', () => {
    const run = runAction('push', event('push-delete', {}), {});
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ findings: '0', 'sarif-file': '' });
    expect(run.summary).toContain('nothing to scan');
  });

  it('fails with exit 2 and an ::error:: naming the input on a bad input', () => {
    const run = runAction('push', event('push', { ['1'.repeat(40)]: c2, ['2'.repeat(40)]: c3 }), { mode: 'everything' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('::error title=spillway::Input `mode` must be one of auto, diff, history, files');
  });
});

describe.skipIf(!cliHas('scan'))('the action in files mode', () => {
  it('scans the working tree of the workspace', () => {
    const run = runAction('workflow_dispatch', event('workflow_dispatch', {}), { mode: 'files', 'fail-on': 'none' });
    expect(run.outputs['findings'], run.stdout).toBe('2');
    expect(run.summary).not.toContain('old.env');
    expect(run.code).toBe(0);
    expectNoSecret(run);
  });
});
