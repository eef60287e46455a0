// A shallow checkout: the action says which fetch-depth it needs instead of blaming an old secret on a new commit.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/run.js';
import { commit, fakeAwsKeyId, git, initRepo, tempDir } from '../helpers/temp-git.js';

const dir = tempDir('action-shallow');
afterAll(dir.cleanup);
const origin = initRepo(`${dir.path}/origin`);
commit(origin, 'Initial import', { 'config.env': `AWS_ACCESS_KEY_ID=${fakeAwsKeyId(7)}\n` });
const before = commit(origin, 'Docs', { 'README.md': '# demo\n' });
const after = commit(origin, 'More docs', { 'NOTES.md': 'notes\n' });

async function push(depth: number): Promise<{ code: number; stdout: string }> {
  const workspace = `${dir.path}/depth-${depth}`;
  git(dir.path, '-c', 'protocol.file.allow=always', 'clone', '-q', `--depth=${depth}`, `file://${origin}`, workspace);
  const eventFile = `${dir.path}/push-${depth}.json`;
  writeFileSync(eventFile, JSON.stringify({ ref: 'refs/heads/main', before, after, repository: { default_branch: 'main' } }));
  let stdout = '';
  const env = {
    PATH: process.env['PATH'],
    HOME: dir.path,
    SPILLWAY_FINGERPRINT_KEY: 'shallow-test-key',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventFile,
    RUNNER_TEMP: dir.path,
    'INPUT_FAIL-ON': 'any',
  };
  const code = await runAction({ env, stdout: (text) => (stdout += text) });
  return { code, stdout };
}

describe('shallow checkout', () => {
  it('depth 1: the pushed commit is not blamed for the old secret; the error names fetch-depth: 0', async () => {
    const run = await push(1);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/::error title=spillway::the checkout is shallow.*fetch-depth: 0/);
    expect(run.stdout).not.toMatch(/aws-access-key-id/);
  });

  it('depth 2 holds the base of a one-commit push: the range is scanned and is clean', async () => {
    const run = await push(2);
    expect(run.stdout).not.toMatch(/::error/);
    expect(run.code).toBe(0);
  });
});
