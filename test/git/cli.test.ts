import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installHook } from '../../src/cli/hook-install.js';
import { BIN, spillway, TEST_RULES, writeRules } from './cli.js';
import { fakeToken } from './detector.js';
import { TestRepo, testGitEnv } from './repo.js';

const scratch = mkdtempSync(join(tmpdir(), 'spillway-git-cli-'));
const rules = writeRules(scratch);
const repos: TestRepo[] = [];
function repo(): TestRepo {
  const r = TestRepo.create();
  repos.push(r);
  return r;
}
afterAll(() => {
  repos.forEach((r) => r.remove());
  rmSync(scratch, { recursive: true, force: true });
});

describe('spillway history', () => {
  it('reports a removed secret with its commit and whether it is still at HEAD, exit 1', async () => {
    const r = repo();
    const added = r.commit('add', { 'app/settings.py': `DEBUG = True\nAPI_TOKEN = "${fakeToken('cli-history')}"\n` });
    r.commit('remove', { 'app/settings.py': 'DEBUG = True\n' });
    const res = await spillway(['history', '--repo', r.dir, '--config', rules, '--format', 'json', '--no-cache'], scratch);
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout);
    expect(report.scan).toMatchObject({ mode: 'history', root: r.dir });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'test-token', path: 'app/settings.py', startLine: 2 });
    expect(report.findings[0].provenance).toMatchObject({ kind: 'git', commit: added, path: 'app/settings.py', presentAtHead: false });
    expect(res.stdout).not.toContain(fakeToken('cli-history'));
  });

  it('exits 2 with a clear message for a bad revision or a folder that is not a repository', async () => {
    const r = repo();
    r.commit('one', { 'a.txt': 'a\n' });
    const bad = await spillway(['history', '--repo', r.dir, '--config', rules, 'no-such-branch'], scratch);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no-such-branch');
    const notRepo = await spillway(['history', '--repo', scratch, '--config', rules], scratch);
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toContain('not a git repository');
  });
});

describe('spillway scan --staged', () => {
  it('blocks with file, line, rule, how to suppress and a reminder to rotate; passes when clean', async () => {
    const r = repo();
    r.commit('base', { '.spillway.toml': TEST_RULES, 'src/app.js': 'const a = 1;\n' });
    r.write({ 'src/app.js': `const a = 1;\nconst b = 2;\nconst token = "${fakeToken('staged')}";\n` });
    r.git('add', 'src/app.js');
    const res = await spillway(['scan', '--staged'], r.dir);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('commit blocked');
    expect(res.stderr).toMatch(/src\/app\.js:3:\d+ +test-token/);
    expect(res.stderr).toContain('spillway:allow');
    expect(res.stderr).toContain('test-token:src/app.js:');
    expect(res.stderr).toMatch(/[Rr]otate it/);
    expect(res.stderr + res.stdout).not.toContain(fakeToken('staged'));

    r.write({ 'src/app.js': `const a = 1;\nconst token = "${fakeToken('staged')}"; // spillway:allow test fixture\n` });
    r.git('add', 'src/app.js');
    expect((await spillway(['scan', '--staged'], r.dir)).code).toBe(0);
  });

  it('scans the index, not the working tree', async () => {
    const r = repo();
    r.commit('base', { '.spillway.toml': TEST_RULES, 'a.txt': 'a\n' });
    r.write({ 'a.txt': 'a\nclean staged line\n' });
    r.git('add', 'a.txt');
    r.write({ 'a.txt': `a\n${fakeToken('worktree-only')}\n` });
    expect((await spillway(['scan', '--staged'], r.dir)).code).toBe(0);
    r.git('add', 'a.txt');
    r.write({ 'a.txt': 'a\n' });
    expect((await spillway(['scan', '--staged'], r.dir)).code).toBe(1);
  });

  it('as an installed hook, blocks `git commit` and `git commit -a` (temporary index) and lets a clean commit through', async () => {
    const r = repo();
    r.commit('base', { '.spillway.toml': TEST_RULES, 'notes.txt': 'hello\n' });
    await installHook(join(r.dir, '.git', 'hooks'), BIN);
    const commit = (...args: string[]) => spawnSync('git', ['-C', r.dir, 'commit', '-q', ...args], { env: testGitEnv(), encoding: 'utf8' });

    r.write({ 'notes.txt': `hello\n${fakeToken('hook')}\n` });
    const dashA = commit('-a', '-m', 'with -a');
    expect(dashA.status).toBe(1);
    expect(dashA.stderr).toContain('notes.txt:2');

    r.git('add', 'notes.txt');
    expect(commit('-m', 'staged').status).toBe(1);

    r.write({ 'notes.txt': 'hello\nfine\n' });
    r.git('add', 'notes.txt');
    const clean = commit('-m', 'clean');
    expect(clean.status).toBe(0);
    expect(r.git('log', '-1', '--format=%s')).toBe('clean');
  });
});
