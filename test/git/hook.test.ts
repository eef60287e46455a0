import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAINED_NAME, HOOK_MARK, hooksDir, installHook, uninstallHook } from '../../src/cli/hook-install.js';
import { spillway } from '../cli/run.js';
import { TestRepo, testGitEnv } from './repo.js';

const repos: TestRepo[] = [];
function repo(): TestRepo {
  const r = TestRepo.create();
  repos.push(r);
  return r;
}
afterAll(() => repos.forEach((r) => r.remove()));

/** A stand-in for the CLI that records that it ran and with which arguments. */
function fakeBin(r: TestRepo): { bin: string; log: string } {
  const log = join(r.dir, '..', `${r.dir.split('/').pop()}-bin.log`);
  const bin = join(r.dir, '.git', 'fake-bin.mjs');
  writeFileSync(bin, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(log)}, 'spillway ' + process.argv.slice(2).join(' ') + '\\n');\n`);
  return { bin, log };
}

describe('hook install/uninstall', () => {
  it('installs into .git/hooks and removes exactly what it wrote', async () => {
    const r = repo();
    const dir = await hooksDir(r.dir, testGitEnv());
    expect(dir).toBe(join(r.dir, '.git', 'hooks'));
    const first = await installHook(dir, '/nowhere/bin.js');
    expect(first.changed).toBe(true);
    const hook = readFileSync(join(dir, 'pre-commit'), 'utf8');
    expect(hook.split('\n')[1]).toBe(HOOK_MARK);
    expect(statSync(join(dir, 'pre-commit')).mode & 0o777).toBe(0o755);
    expect((await installHook(dir, '/nowhere/bin.js')).changed).toBe(false);
    expect((await uninstallHook(dir)).changed).toBe(true);
    expect(existsSync(join(dir, 'pre-commit'))).toBe(false);
  });

  it('chains an existing hook (it runs first and can block) and restores it byte for byte', async () => {
    const r = repo();
    const { bin, log } = fakeBin(r);
    const dir = await hooksDir(r.dir, testGitEnv());
    const original = `#!/bin/sh\n# the team's own hook\necho team-hook >> ${JSON.stringify(log)}\n[ -f ${JSON.stringify(join(r.dir, 'block'))} ] && exit 3\nexit 0\n`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pre-commit'), original);
    chmodSync(join(dir, 'pre-commit'), 0o750);

    const res = await installHook(dir, bin);
    expect(res.message).toContain(CHAINED_NAME);
    r.commit('first', { 'a.txt': 'a\n' });
    expect(readFileSync(log, 'utf8')).toBe('team-hook\nspillway scan --staged\n');

    writeFileSync(join(r.dir, 'block'), '');
    r.write({ 'b.txt': 'b\n' });
    r.git('add', 'b.txt');
    const blocked = spawnSync('git', ['-C', r.dir, 'commit', '-q', '-m', 'blocked'], { env: testGitEnv() });
    expect(blocked.status).not.toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('team-hook\nspillway scan --staged\nteam-hook\n');

    await uninstallHook(dir);
    expect(readFileSync(join(dir, 'pre-commit'), 'utf8')).toBe(original);
    expect(statSync(join(dir, 'pre-commit')).mode & 0o777).toBe(0o750);
    expect(existsSync(join(dir, CHAINED_NAME))).toBe(false);
  });

  it('honours core.hooksPath (relative to the top level) and leaves a foreign hook alone on uninstall', async () => {
    const r = repo();
    r.git('config', 'core.hooksPath', '.githooks');
    const dir = await hooksDir(join(r.dir), testGitEnv());
    expect(dir).toBe(join(r.dir, '.githooks'));
    await installHook(dir, '/nowhere/bin.js');
    expect(readFileSync(join(r.dir, '.githooks', 'pre-commit'), 'utf8')).toContain(HOOK_MARK);
    writeFileSync(join(dir, 'pre-commit'), '#!/bin/sh\nexit 0\n');
    const res = await uninstallHook(dir);
    expect(res.changed).toBe(false);
    expect(readFileSync(join(dir, 'pre-commit'), 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });

  it('refuses to overwrite a previously chained hook', async () => {
    const r = repo();
    const dir = join(r.dir, '.git', 'hooks');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pre-commit'), '#!/bin/sh\n');
    writeFileSync(join(dir, CHAINED_NAME), '#!/bin/sh\n');
    await expect(installHook(dir, '/nowhere/bin.js')).rejects.toThrow(CHAINED_NAME);
    expect(execFileSync('ls', [dir], { encoding: 'utf8' })).toContain('pre-commit');
  });
});

describe('hook install under husky: the shared hook gets a portable line, never this machine\'s path', () => {
  const team = 'npm test\n';
  const husky9 = (r: TestRepo): void => {
    r.commit('husky', { '.husky/pre-commit': team, 'package.json': '{"devDependencies":{"husky":"^9.0.0"}}\n' });
    r.write({ '.husky/_/.gitignore': '*\n', '.husky/_/h': '#!/usr/bin/env sh\n', '.husky/_/pre-commit': '#!/usr/bin/env sh\n. "${0%/*}/h"\n' });
    r.git('config', 'core.hooksPath', '.husky/_');
  };

  it('husky 9 (core.hooksPath .husky/_): .husky/pre-commit gets the line, husky\'s stub is untouched; uninstall restores it', async () => {
    const r = repo();
    husky9(r);
    const stub = readFileSync(join(r.dir, '.husky/_/pre-commit'), 'utf8');
    const res = await spillway(['hook', 'install'], { cwd: r.dir });
    expect(res.code).toBe(0);
    const hook = readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8');
    expect(hook).toMatch(/^npm test\n# spillway: .*\nnpx --no spillway scan --staged\n$/);
    expect(hook).not.toContain('bin.js');
    expect(readFileSync(join(r.dir, '.husky/_/pre-commit'), 'utf8')).toBe(stub);
    expect(existsSync(join(r.dir, '.husky/_', CHAINED_NAME))).toBe(false);
    expect(res.stderr).toMatch(/commit it/);
    expect((await spillway(['hook', 'install'], { cwd: r.dir })).stderr).toMatch(/already runs spillway/);
    expect((await spillway(['hook', 'uninstall'], { cwd: r.dir })).code).toBe(0);
    expect(readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8')).toBe(team);
  });

  it('husky 4-8 (core.hooksPath .husky, the hook tracked there): the tracked hook is edited, not moved', async () => {
    const r = repo();
    r.commit('husky', { '.husky/pre-commit': `#!/bin/sh\n. "$(dirname "$0")/_/husky.sh"\n${team}` });
    r.git('config', 'core.hooksPath', '.husky');
    expect((await spillway(['hook', 'install'], { cwd: r.dir })).code).toBe(0);
    expect(existsSync(join(r.dir, '.husky', CHAINED_NAME))).toBe(false);
    const hook = readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8');
    expect(hook).toContain('npx --no spillway scan --staged');
    expect(hook).not.toContain(HOOK_MARK);
    expect(hook).not.toContain('bin.js');
  });
});
