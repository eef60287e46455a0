// Mirrors in the cache: clone once, fetch --prune after; only https and file URLs; a hostile source runs nothing.
import { existsSync, readdirSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { scrubCredentials, syncMirror } from '../../src/audit/mirror.js';
import { commit, git, initRepo, tempDir } from '../helpers/temp-git.js';

const dir = tempDir('mirror');
afterAll(dir.cleanup);
const cache = `${dir.path}/cache`;

describe('syncMirror', () => {
  const source = initRepo(`${dir.path}/src/alpha`);
  const first = commit(source, 'one', { 'a.txt': 'a\n' });
  git(source, 'branch', 'doomed');
  const ref = { fullName: 'octo-org/alpha', cloneUrl: `file://${source}`, size: 1 };

  it('mirror-clones a file URL into cache/mirrors/owner/name.git', async () => {
    const mirror = await syncMirror(cache, ref);
    expect(mirror).toEqual({ path: `${cache}/mirrors/octo-org/alpha.git`, fresh: true });
    expect(git(mirror.path, 'rev-parse', 'refs/heads/main')).toBe(first);
    expect(git(mirror.path, 'config', 'remote.origin.mirror')).toBe('true');
  });

  it('fetches new commits and prunes deleted branches on the next run', async () => {
    const second = commit(source, 'two', { 'b.txt': 'b\n' });
    git(source, 'branch', '-D', 'doomed');
    const mirror = await syncMirror(cache, ref);
    expect(mirror.fresh).toBe(false);
    expect(git(mirror.path, 'rev-parse', 'refs/heads/main')).toBe(second);
    expect(git(mirror.path, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
  });

  it('leaves nothing half-made when a clone fails, and says why', async () => {
    const missing = { fullName: 'octo-org/missing', cloneUrl: `file://${dir.path}/nowhere`, size: 0 };
    await expect(syncMirror(cache, missing)).rejects.toThrow(/git clone failed \(exit 128\)/);
    expect(readdirSync(`${cache}/mirrors/octo-org`)).toEqual(['alpha.git']);
  });

  it('refuses transports other than https and file, and names that escape the cache', async () => {
    for (const cloneUrl of ['ext::sh -c touch% /tmp/pwned', 'ssh://git@github.com/o/r.git', 'http://example.test/o/r.git', 'git://example.test/o/r.git']) {
      await expect(syncMirror(cache, { fullName: 'o/r', cloneUrl, size: 0 })).rejects.toThrow(/only https:\/\/ and file:\/\/ URLs are allowed/);
    }
    await expect(syncMirror(cache, { fullName: '../etc', cloneUrl: `file://${source}`, size: 0 })).rejects.toThrow(TypeError);
  });

  it('runs no hook or fsmonitor of a hostile source, nor of a poisoned mirror in the cache', async () => {
    const hostile = initRepo(`${dir.path}/src/hostile`);
    const marker = `${dir.path}/pwned`;
    const hooks = `${dir.path}/evil-hooks`;
    mkdirSync(hooks);
    for (const hook of ['pre-upload-pack', 'post-checkout', 'reference-transaction', 'post-merge', 'pre-receive']) {
      writeFileSync(`${hooks}/${hook}`, `#!/bin/sh\ntouch ${marker}\n`);
      chmodSync(`${hooks}/${hook}`, 0o755);
    }
    // The test's own commits run without the traps; only spillway's clone and fetch meet them.
    const arm = (): void => {
      git(hostile, 'config', 'core.hooksPath', hooks);
      git(hostile, 'config', 'core.fsmonitor', `touch ${marker}`);
    };
    const disarm = (): void => {
      git(hostile, 'config', '--unset', 'core.hooksPath');
      git(hostile, 'config', '--unset', 'core.fsmonitor');
    };
    commit(hostile, 'bait', { 'x.txt': 'x\n' });
    arm();
    const ref2 = { fullName: 'evil/hostile', cloneUrl: `file://${hostile}`, size: 0 };
    await syncMirror(cache, ref2);
    // Plain `git fetch` here would run the mirror's reference-transaction hook on the update below.
    git(`${cache}/mirrors/evil/hostile.git`, 'config', 'core.hooksPath', hooks);
    disarm();
    commit(hostile, 'more bait', { 'y.txt': 'y\n' });
    arm();
    await syncMirror(cache, ref2);
    expect(git(`${cache}/mirrors/evil/hostile.git`, 'log', '--format=%s', 'main')).toBe('more bait\nbait');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('scrubCredentials', () => {
  it('removes user and password from URLs in messages', () => {
    expect(scrubCredentials("fatal: unable to access 'https://x-access-token:abc123@github.com/o/r.git/'")).toBe("fatal: unable to access 'https://***@github.com/o/r.git/'");
  });
});
