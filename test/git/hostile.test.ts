import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanHistory } from '../../src/scan/history.js';
import { scanStaged } from '../../src/scan/staged.js';
import { spillway, writeRules } from './cli.js';
import { fakeToken, testDetector } from './detector.js';
import { TestRepo, testGitEnv } from './repo.js';

const HOOKS = ['pre-commit', 'post-checkout', 'post-commit', 'post-merge', 'pre-push', 'post-rewrite', 'reference-transaction', 'post-index-change', 'fsmonitor-watchman', 'pre-auto-gc'];

/** A repository whose config, attributes and hooks try every way to make git run a program. */
function hostileRepo(scratch: string): { repo: TestRepo; marker: string } {
  const repo = TestRepo.create();
  const marker = join(scratch, 'PWNED');
  const evil = join(scratch, 'evil.sh');
  writeFileSync(evil, `#!/bin/sh\necho "$0 $*" >> '${marker}'\ncat\n`);
  chmodSync(evil, 0o755);

  // Built while the repository is still harmless.
  repo.commit('add', { 'app.env': `TOKEN=${fakeToken('hostile')}\n`, '.gitattributes': '* filter=evil diff=evil merge=evil\n' });
  repo.commit('remove', { 'app.env': 'TOKEN=\n' });
  repo.git('tag', '-a', 'v1', '-m', 'release');
  repo.write({ 'staged.env': `NEW=${fakeToken('hostile-staged')}\n` });
  repo.git('add', 'staged.env');

  const hooks = join(scratch, 'hooks');
  mkdirSync(hooks, { recursive: true });
  for (const dir of [hooks, join(repo.dir, '.git', 'hooks')]) {
    mkdirSync(dir, { recursive: true });
    for (const name of HOOKS) {
      writeFileSync(join(dir, name), `#!/bin/sh\n'${evil}' hook-${name}\n`);
      chmodSync(join(dir, name), 0o755);
    }
  }
  const config = [
    '[core]',
    `  fsmonitor = ${evil}`,
    `  hooksPath = ${hooks}`,
    `  sshCommand = ${evil}`,
    `  askPass = ${evil}`,
    `  pager = ${evil}`,
    `  editor = ${evil}`,
    `  alternateRefsCommand = ${evil}`,
    '  untrackedCache = true',
    '[filter "evil"]',
    `  clean = ${evil}`,
    `  smudge = ${evil}`,
    `  process = ${evil}`,
    '  required = true',
    '[diff "evil"]',
    `  textconv = ${evil}`,
    `  command = ${evil}`,
    '[merge "evil"]',
    `  driver = ${evil}`,
    '[diff]',
    `  external = ${evil}`,
    '  relative = true',
    '  noprefix = true',
    '  context = 9',
    '  interHunkContext = 9',
    '  orderFile = staged.env',
    '[color]',
    '  ui = always',
    '[log]',
    '  showSignature = true',
    '[gpg]',
    `  program = ${evil}`,
    '[credential]',
    `  helper = !${evil}`,
    '[pager]',
    `  log = ${evil}`,
    `  diff = ${evil}`,
    `  cat-file = ${evil}`,
    '[uploadpack]',
    `  packObjectsHook = ${evil}`,
    '[include]',
    `  path = ${join(scratch, 'more.config')}`,
    '',
  ].join('\n');
  writeFileSync(join(scratch, 'more.config'), `[core]\n  fsmonitor = ${evil}\n[diff]\n  external = ${evil}\n`);
  writeFileSync(join(repo.dir, '.git', 'config'), `${spawnSync('cat', [join(repo.dir, '.git', 'config')], { encoding: 'utf8' }).stdout}\n${config}`);
  writeFileSync(join(repo.dir, '.git', 'info', 'attributes'), '* filter=evil diff=evil\n');
  return { repo, marker };
}

describe('a hostile repository runs no code', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'spillway-hostile-'));
  const { repo, marker } = hostileRepo(scratch);
  const rules = writeRules(scratch);
  afterAll(() => {
    repo.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('history scan (library and CLI) finds the secret and never runs the repository\'s programs', async () => {
    const { findings } = await scanHistory({ repo: repo.dir }, testDetector());
    expect(findings.map((f) => [f.ruleId, f.provenance.path])).toEqual([['test-token', 'app.env']]);
    const cli = await spillway(['history', '--repo', repo.dir, '--config', rules, '--format', 'json', '--no-cache'], scratch);
    expect(cli.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
  });

  it('staged scan (library and CLI) finds the staged secret and never runs the repository\'s programs', async () => {
    const { findings } = await scanStaged({ repo: repo.dir }, testDetector());
    expect(findings.map((f) => [f.ruleId, f.location.path, f.location.startLine])).toEqual([['test-token', 'staged.env', 1]]);
    const cli = await spillway(['scan', '--staged', '--config', rules], repo.dir);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('staged.env:1');
    expect(existsSync(marker)).toBe(false);
  });

  it('(control) plain git on the same repository does run them, so the test can fail', () => {
    spawnSync('git', ['-C', repo.dir, 'log', '-p', '-1', 'HEAD~1'], { env: testGitEnv() });
    spawnSync('git', ['-C', repo.dir, 'status'], { env: testGitEnv() });
    expect(existsSync(marker)).toBe(true);
  });
});
