// What a small scan loads: neither the HTTP client (verification) nor the history walk, unless asked for.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { distModule, git, tempDir, writeTree } from './tree.js';

const work = tempDir();
afterAll(() => work.cleanup());

/** Runs runScan from dist/ in a fresh Node with `target`; returns which of Node's modules it loaded. */
function loadedBy(target: object, extra = ''): string[] {
  const code = `
    const { runScan } = await import(${JSON.stringify(pathToFileURL(distModule('scan/run-scan.js')).href)});
    await runScan({ target: ${JSON.stringify(target)}, env: { SPILLWAY_FINGERPRINT_KEY: 'lazy-modules-test' } ${extra} });
    console.log(JSON.stringify(process.moduleLoadList));`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`child failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as string[];
}

describe('a scan loads what its target needs', () => {
  writeTree(work.dir, { 'app.js': 'export const answer = 42;\n' });
  git(work.dir, 'init', '-q');
  git(work.dir, 'add', 'app.js');

  it('a files scan and a staged scan load no HTTP module', () => {
    for (const target of [
      { kind: 'files', root: work.dir, noGit: true, threads: 1 },
      { kind: 'staged', repo: work.dir },
    ]) {
      expect(loadedBy(target).filter((m) => /\bhttps?$/.test(m))).toEqual([]);
    }
  });

  it('verification loads it when asked for', () => {
    const loaded = loadedBy({ kind: 'files', root: work.dir, noGit: true, threads: 1 }, ', verify: {}');
    expect(loaded).toContain('NativeModule http');
  });
});
