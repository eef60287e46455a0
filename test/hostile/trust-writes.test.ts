// Files spillway writes never go through a symlink the scanned tree or a pull request planted, nor out of the Action's workspace.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIST } from '../helpers/cli.js';
import { commit, initRepo } from '../helpers/temp-git.js';
import { cli, group, removeGroups, RULES } from './harness.js';

afterAll(removeGroups);

const VICTIM = 'precious: do not overwrite\n';

describe('scan -o', () => {
  it('refuses a report path that is a symlink (exit 2, the target untouched) and writes a plain path atomically, mode 0600', async () => {
    const dir = group('write-link');
    const outside = group('write-victim');
    writeFileSync(join(outside, 'victim.txt'), VICTIM);
    symlinkSync(join(outside, 'victim.txt'), join(dir, 'report.json'));
    const r = await cli(['scan', '.', '--config', RULES, '--no-git', '-f', 'json', '-o', 'report.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('report.json: is a symlink: refusing to write through it');
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe(VICTIM);
    expect(lstatSync(join(dir, 'report.json')).isSymbolicLink()).toBe(true);

    const ok = await cli(['scan', '.', '--config', RULES, '--no-git', '-f', 'json', '-o', 'out.json'], dir);
    expect(ok.code).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).findings).toHaveLength(1);
    expect(lstatSync(join(dir, 'out.json')).mode & 0o777).toBe(0o600);
  });
});

function runAction(workspace: string, temp: string, sarifFile: string): { code: number | null; stdout: string } {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: temp,
    SPILLWAY_FINGERPRINT_KEY: 'trust-test-key',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_EVENT_PATH: join(temp, 'event.json'),
    RUNNER_TEMP: temp,
    INPUT_MODE: 'files',
    INPUT_CONFIG: RULES,
    'INPUT_SARIF-FILE': sarifFile,
    'INPUT_FAIL-ON': 'none',
  };
  const run = spawnSync(process.execPath, [`${DIST}action/main.js`], { cwd: workspace, env, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout + run.stderr };
}

describe('the Action\'s sarif-file', () => {
  const temp = group('action-temp');
  writeFileSync(join(temp, 'event.json'), '{}');
  writeFileSync(join(temp, 'victim.txt'), VICTIM);
  const workspace = initRepo(join(temp, 'workspace'));
  commit(workspace, 'pull request', { 'app.ts': 'x = 1\n' });
  symlinkSync(join(temp, 'victim.txt'), join(workspace, 'results.sarif'));
  mkdirSync(join(workspace, 'out'));
  symlinkSync(temp, join(workspace, 'out', 'escape'));

  it('is never written through a symlink the pull request committed', () => {
    const run = runAction(workspace, temp, 'results.sarif');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('results.sarif: is a symlink: refusing to write through it');
    expect(readFileSync(join(temp, 'victim.txt'), 'utf8')).toBe(VICTIM);
  });

  it('is never written outside the workspace, by ../ or through a symlinked folder', () => {
    for (const path of ['../outside.sarif', 'out/escape/outside.sarif']) {
      const run = runAction(workspace, temp, path);
      expect(run.code, run.stdout).toBe(2);
      expect(run.stdout).toContain(`${join(workspace, path)}: is outside ${workspace}`);
    }
    expect(() => lstatSync(join(temp, 'outside.sarif'))).toThrow();
    const ok = runAction(workspace, temp, 'reports/spillway.sarif');
    expect(ok.code, ok.stdout).toBe(0);
    expect(JSON.parse(readFileSync(join(workspace, 'reports', 'spillway.sarif'), 'utf8')).version).toBe('2.1.0');
    const inTemp = runAction(workspace, temp, join(temp, 'runner-temp.sarif'));
    expect(inTemp.code, inTemp.stdout).toBe(0);
    expect(JSON.parse(readFileSync(join(temp, 'runner-temp.sarif'), 'utf8')).version).toBe('2.1.0');
  });
});
