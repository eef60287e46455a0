// Fingerprint keys: the same for every clone of a repository, per user outside one or on request, and a
// baseline made with another key says so.
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveFingerprintKey } from '../../src/config/fingerprint-key.js';
import { spillway, tree } from '../cli/run.js';

// A fake token for the built-in github-pat rule, made for this test.
const TOKEN = 'ghp_' + 'Zq8Wm3Xk2Lp7Vn4Bc9Rt6Yu1Hj5Kl8Mn2Pq4';
const NO_SHARED_KEY = { SPILLWAY_FINGERPRINT_KEY: '' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'protocol.file.allow=always', ...args], { cwd, encoding: 'utf8' });
}

/** A repository with two commits holding the token, and a folder to clone it into. */
async function origin(): Promise<{ repo: string; scratch: string }> {
  const repo = await tree({ 'README.md': 'app\n' });
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'first');
  execFileSync('sh', ['-c', `printf 'token = "%s"\\n' "${TOKEN}" > app.ts`], { cwd: repo });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'second');
  return { repo, scratch: await mkdtemp(join(tmpdir(), 'spillway-clones-')) };
}

async function fingerprints(dir: string, extra: string[] = [], env: Record<string, string> = NO_SHARED_KEY): Promise<string[]> {
  const r = await spillway(['scan', '.', '-f', 'json', ...extra], { cwd: dir, env });
  return JSON.parse(r.stdout).findings.map((f: { fingerprint: string }) => f.fingerprint);
}

describe('fingerprint key', () => {
  test('two clones with different homes give the same secret the same fingerprint', async () => {
    const { repo, scratch } = await origin();
    git(scratch, 'clone', '-q', repo, 'a');
    git(scratch, 'clone', '-q', repo, 'b');
    const a = await fingerprints(join(scratch, 'a'));
    const b = await fingerprints(join(scratch, 'b'));
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
    // Per user on request: the flag and the environment variable.
    expect(await fingerprints(join(scratch, 'a'), ['--per-user-fingerprints'])).not.toEqual(a);
    expect(await fingerprints(join(scratch, 'a'), [], { ...NO_SHARED_KEY, SPILLWAY_PER_USER_FINGERPRINTS: '1' })).not.toEqual(a);
  });

  test('the key comes from the root commit: library view of scopes', async () => {
    const { repo } = await origin();
    const home = await mkdtemp(join(tmpdir(), 'spillway-home-'));
    const env = { HOME: home };
    const inRepo = await resolveFingerprintKey(env, { root: repo });
    expect(inRepo.scope).toBe('repository');
    expect(inRepo.source).toContain(git(repo, 'rev-list', '--max-parents=0', 'HEAD').trim().slice(0, 12));
    expect(inRepo.id).toMatch(/^[0-9a-f]{16}$/);
    const outside = await resolveFingerprintKey(env, { root: home });
    expect(outside.scope).toBe('user');
    expect(outside.id).not.toBe(inRepo.id);
    expect((await resolveFingerprintKey(env, { root: repo, perUser: true })).id).toBe(outside.id);
    expect((await resolveFingerprintKey({ ...env, SPILLWAY_FINGERPRINT_KEY: 'team' }, { root: repo })).scope).toBe('environment');
  });

  test('a shallow clone warns that fingerprints are per user and names fetch-depth', async () => {
    const { repo, scratch } = await origin();
    git(scratch, 'clone', '-q', '--depth', '1', `file://${repo}`, 'shallow');
    const r = await spillway(['scan', '.'], { cwd: join(scratch, 'shallow'), env: NO_SHARED_KEY });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/shallow clone.*fetch-depth: 0/);
  });

  test('reports carry the key id; a baseline made with another key says so', async () => {
    const { repo } = await origin();
    const base = join(repo, '..', `${repo.split('/').pop()}-base.json`);
    const made = await spillway(['scan', '.', '-f', 'json', '-o', base], { cwd: repo, env: { SPILLWAY_FINGERPRINT_KEY: 'laptop-key' } });
    expect(made.code).toBe(1);
    const other = await spillway(['scan', '.', '--baseline', base], { cwd: repo, env: NO_SHARED_KEY });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/baseline .* was made with another fingerprint key/);
    const same = await spillway(['scan', '.', '--baseline', base], { cwd: repo, env: { SPILLWAY_FINGERPRINT_KEY: 'laptop-key' } });
    expect(same.code).toBe(0);
    expect(same.stderr).not.toMatch(/another fingerprint key/);
    const sarif = await spillway(['scan', '.', '-f', 'sarif'], { cwd: repo, env: NO_SHARED_KEY });
    expect(JSON.parse(sarif.stdout).runs[0].properties.fingerprintKeyId).toMatch(/^[0-9a-f]{16}$/);
  });
});
