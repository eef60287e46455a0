// On a pull request, the Action reads config, ignore files and baseline from the base commit: a pull request cannot
// silence its own scan, and every control file it changes is named in a warning annotation.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cliHas, DIST } from '../helpers/cli.js';
import { commit, fakeAwsKeyId, git, initRepo, tempDir } from '../helpers/temp-git.js';

const key = fakeAwsKeyId(17);
const dir = tempDir('action-pr');
const repo = initRepo(`${dir.path}/workspace`);
const base = commit(repo, 'base', { 'README.md': '# demo\n', '.spillwayignore': '# reviewed\n' });
git(repo, 'checkout', '-q', '-b', 'feature');
const head = commit(repo, 'silence the scan', {
  'keys.env': `AWS_ACCESS_KEY_ID=${key}\n`,
  '.spillway.toml': "[extend]\nuseDefault = true\n\n[allowlist]\ndescription = 'nothing to see'\npaths = ['.*']\n",
  '.gitleaksignore': 'keys.env:aws-access-key-id:1\n',
  '.spillwayignore': '# reviewed\nkeys.env:aws-access-key-id:1\n',
});
afterAll(dir.cleanup);

function runAction(eventName: string, shas: Record<string, string>): { code: number | null; stdout: string; findings: string } {
  let text = readFileSync(new URL('../../fixtures/action/events/pull_request.json', import.meta.url), 'utf8');
  for (const [fake, real] of Object.entries(shas)) text = text.replaceAll(fake, real);
  const eventFile = `${dir.path}/event-${Math.random().toString(36).slice(2)}.json`;
  writeFileSync(eventFile, text);
  const outputFile = `${dir.path}/output-${Math.random().toString(36).slice(2)}`;
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir.path,
    SPILLWAY_FINGERPRINT_KEY: 'action-test-key',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: dir.path,
    'INPUT_FAIL-ON': 'any',
  };
  const run = spawnSync(process.execPath, [`${DIST}action/main.js`], { cwd: repo, env, encoding: 'utf8' });
  const findings = /^findings<<(\S+)\n(.*)\n\1$/m.exec(readFileSync(outputFile, 'utf8'))?.[2] ?? '';
  return { code: run.status, stdout: run.stdout + run.stderr, findings };
}

describe.skipIf(!cliHas('history'))('the Action on a pull request', () => {
  for (const eventName of ['pull_request', 'pull_request_target']) {
    it(`${eventName}: the pull request's own allowlist and ignore files do not apply to it; each change is a warning annotation`, () => {
      const run = runAction(eventName, { ['1'.repeat(40)]: base, ['2'.repeat(40)]: head });
      expect(run.findings, run.stdout).toBe('1');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`spillway: pull request: config, ignore files and baseline are read from the base commit ${base.slice(0, 7)}, not from the pull request`);
      for (const path of ['.spillway.toml', '.spillwayignore', '.gitleaksignore']) {
        expect(run.stdout).toContain(`::warning file=${path},title=spillway%3A control file changed::${path} is changed by this pull request: not used for its own scan (the base commit's version is); it applies once merged`);
      }
      expect(run.stdout).not.toContain('file=.gitleaks.toml');
      expect(run.stdout).not.toContain(key);
      expect(readdirSync(dir.path).filter((n) => n.startsWith('spillway-base-'))).toEqual([]);
    });
  }

  it('a base commit missing from the checkout: nothing of the pull request is used, with a warning', () => {
    const gone = 'e'.repeat(40);
    const run = runAction('pull_request', { ['1'.repeat(40)]: gone, ['2'.repeat(40)]: head });
    expect(run.stdout).toContain(`the base commit eeeeeee is not in the checkout, so the pull request's config and ignore files are not used`);
    expect(Number(run.findings), run.stdout).toBeGreaterThanOrEqual(1);
  });
});
