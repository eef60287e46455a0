// Purging history: a secret file is dropped from every commit, any other file keeps its history and loses only the value.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentFinding } from '../../src/remediate/plan.js';
import { filterRepoCommand, isSecretFile } from '../../src/remediate/purge.js';
import { findingArgs, leakedValue, runCli, startWorld, type World } from './harness.js';

const finding = (path: string, alsoIn: string[] = []): IncidentFinding => ({
  fingerprint: `generic-api-key:${path}:abc`,
  ruleId: 'generic-api-key',
  description: 'Generic API key',
  severity: 'high',
  path,
  startLine: 3,
  startColumn: 11,
  secretLength: 40,
  redacted: 'Qm7vT2…(40 chars)',
  report: 'scan.json',
  provenance: alsoIn.length > 0 ? { kind: 'git', path, commit: 'c'.repeat(40), alsoIn: alsoIn.map((p) => ({ commit: 'd'.repeat(40), path: p })) } : { kind: 'file', path },
});

describe('which files are secrets as a whole', () => {
  it.each(['.env', 'config/.env.production', 'deploy/db.env', 'id_rsa', 'certs/server.key', 'tls.pem', 'client.p12', '.netrc'])('%s is a secret file', (p) => {
    expect(isSecretFile(p)).toBe(true);
  });
  it.each(['src/settings.py', 'k8s/demo/deployment-backend.yaml', '.env.example', 'README.md', 'keys.ts', 'Dockerfile'])('%s is not', (p) => {
    expect(isSecretFile(p)).toBe(false);
  });
});

describe('the purge command', () => {
  it('drops a secret file from every commit', () => {
    expect(filterRepoCommand(finding('.env'))).toBe('git filter-repo --invert-paths --path .env');
    expect(filterRepoCommand(finding('config/db.env', ['old/db.env']))).toBe('git filter-repo --invert-paths --path config/db.env --path old/db.env');
  });

  it('replaces only the value in a source file or manifest, from an expressions file the command removes', () => {
    for (const f of [finding('src/settings.py'), finding('.env', ['k8s/demo/deployment-backend.yaml'])]) {
      const cmd = filterRepoCommand(f);
      expect(cmd).not.toContain('--invert-paths');
      expect(cmd).toBe(`f=$(mktemp) && spillway remediate --report scan.json --finding ${f.fingerprint} --purge-expressions "$f" && git filter-repo --replace-text "$f"; rm -f "$f"`);
    }
  });
});

describe('remediate --purge-expressions', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  /** The fixture's finding moved into a Python source file. */
  function sourceReport(): string {
    writeFileSync(join(world.dir, 'scan', 'settings.py'), readFileSync(join(world.dir, 'scan', '.env')));
    const report = JSON.parse(readFileSync(join(world.dir, 'scan', 'report.json'), 'utf8'));
    report.findings[0].path = 'settings.py';
    report.findings[0].provenance.path = 'settings.py';
    report.findings[0].fingerprint = 'generic-api-key:settings.py:9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e';
    const file = join(world.dir, 'scan', 'source.json');
    writeFileSync(file, JSON.stringify(report));
    return file;
  }

  it('the plan for a source file prints the --replace-text command, never the value', async () => {
    const args = findingArgs(world).map((a) => (a.endsWith('report.json') ? sourceReport() : a));
    const r = await runCli(args, world.env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('git filter-repo --replace-text "$f"; rm -f "$f"');
    expect(r.stdout).not.toContain('--invert-paths');
    expect(r.stdout + r.stderr).not.toContain(leakedValue());
  });

  it('writes the expressions 0600, names the file, and prints no value', async () => {
    const file = join(world.dir, 'expressions.txt');
    const r = await runCli(['--report', sourceReport(), '--finding', '0', '--purge-expressions', file], world.env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote 1 --replace-text expression(s) to ${file} (mode 0600)`);
    expect(r.stdout + r.stderr).not.toContain(leakedValue());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`literal:${leakedValue()}==>***REMOVED***\n`);
  });

  it('needs a finding', async () => {
    const r = await runCli(['--purge-expressions', join(world.dir, 'x')], world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--purge-expressions: needs --report FILE --finding');
    expect(existsSync(join(world.dir, 'x'))).toBe(false);
  });

  const filterRepo = spawnSync('git', ['filter-repo', '--version']).status === 0;
  it.skipIf(!filterRepo)('with git filter-repo installed: the file stays in every commit, the value is gone from all of them', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'spillway-purge-'));
    try {
      const git = (...a: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], { encoding: 'utf8' });
      git('init', '-q');
      writeFileSync(join(repo, 'settings.py'), readFileSync(join(world.dir, 'scan', '.env')));
      git('add', '.');
      git('commit', '-qm', 'leak');
      writeFileSync(join(repo, 'settings.py'), `${readFileSync(join(repo, 'settings.py'), 'utf8')}DEBUG=1\n`);
      git('commit', '-qam', 'more');
      const file = join(world.dir, 'expressions.txt');
      expect((await runCli(['--report', sourceReport(), '--finding', '0', '--purge-expressions', file], world.env, world.dir)).code).toBe(0);
      execFileSync('git', ['filter-repo', '--force', '--replace-text', file], { cwd: repo, stdio: 'ignore' });
      const all = git('log', '-p', '--all');
      expect(all).not.toContain(leakedValue());
      expect(all).toContain('API_KEY=***REMOVED***');
      expect(git('log', '--format=%s', '--', 'settings.py').trim().split('\n')).toEqual(['more', 'leak']);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
