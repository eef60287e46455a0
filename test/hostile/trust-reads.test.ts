// Files spillway reads: nothing outside the scan root through a symlink (even one swapped in after the walk), config and
// ignore files that are FIFOs refused instead of hanging, and a folder chain too deep to walk cut with a note.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanBatch } from '../../src/scan/scan-file.js';
import { walkFiles, type WalkFile } from '../../src/sources/walk.js';
import { BIN } from '../cli/run.js';
import { loadConfig } from '../../src/config/load.js';
import { createDetector } from '../../src/detect/detector.js';
import { TEST_FINGERPRINT_KEY } from '../helpers/detector.js';
import { goodLine, group, notes, removeGroups, RULES, scanJson, where } from './harness.js';

afterAll(removeGroups);

async function walked(dir: string): Promise<WalkFile[]> {
  const files: WalkFile[] = [];
  for await (const item of walkFiles({ root: dir, noGit: true })) if (item.kind === 'file') files.push(item);
  return files;
}

describe('a symlink swapped in between the walk and the read', () => {
  it('is not followed out of the root: the file is named and not read', async () => {
    const outside = group('swap-outside', { 'secret.ts': goodLine('outside'), 'sub/app.ts': goodLine('outsidesub') });
    const dir = group('swap', { 'app.ts': 'x = 1\n', 'sub/app.ts': 'y = 2\n' });
    const files = await walked(dir);
    expect(files.map((f) => f.path)).toEqual(['app.ts', 'good.ts', 'sub/app.ts']);
    rmSync(join(dir, 'app.ts'));
    symlinkSync(join(outside, 'secret.ts'), join(dir, 'app.ts'));
    renameSync(join(dir, 'sub'), join(dir, 'sub-was'));
    symlinkSync(join(outside, 'sub'), join(dir, 'sub'));
    const { detector } = createDetector(await loadConfig({ root: dir, configPath: RULES }), { fingerprintKey: TEST_FINGERPRINT_KEY });
    const result = await scanBatch(files, detector, undefined);
    const message = 'skipped: replaced since the walk (by a symlink or another file): not read';
    expect(result.notes).toEqual([
      { level: 'warning', input: 'app.ts', message },
      { level: 'warning', input: 'sub/app.ts', message },
    ]);
    expect(result.findings.map((f) => (f.provenance as { path: string }).path)).toEqual(['good.ts']);
  });
});

/** Runs the CLI with a time limit, so that a hang fails the test instead of blocking the suite. */
function cliWithin(args: string[], cwd: string): { code: number | null; stderr: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, SPILLWAY_FINGERPRINT_KEY: 'trust-test-key' }, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  return { code: r.status, stderr: r.stderr, timedOut: r.error !== undefined };
}

describe('config, ignore files and baselines that are FIFOs', () => {
  const cases: [string, string[]][] = [
    ['.spillway.toml', []],
    ['.spillwayignore', ['--config', RULES]],
    ['.gitleaksignore', ['--config', RULES]],
    ['baseline.json', ['--config', RULES, '--baseline', 'baseline.json']],
  ];
  for (const [name, extra] of cases) {
    it(`${name} as a FIFO: refused, naming it, instead of hanging`, () => {
      const dir = group('fifo-config');
      execFileSync('mkfifo', [join(dir, name)]);
      const r = cliWithin(['scan', '.', '--no-git', ...extra], dir);
      expect(r.timedOut).toBe(false);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${join(dir, name)}: not a regular file (a FIFO)`);
    });
  }

  it('a .spillwayignore that is a symlink out of the scanned folder is refused', () => {
    const outside = group('ignore-outside', { 'list.txt': 'deadbeef\n' });
    const dir = group('ignore-link');
    symlinkSync(join(outside, 'list.txt'), join(dir, '.spillwayignore'));
    const r = cliWithin(['scan', '.', '--no-git', '--config', RULES], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.spillwayignore: is a symlink (not followed in the scanned folder)');
  });
});

describe('a folder chain deeper than the walk goes', () => {
  it('1,050 nested folders: the walk stops at 1,000 with a warning naming the folder; the rest is scanned', async () => {
    const dir = group('deeper');
    const chain = Array.from({ length: 1050 }, () => 'd').join('/');
    mkdirSync(join(dir, chain), { recursive: true });
    writeFileSync(join(dir, chain, 'bottom.ts'), goodLine('bottom'));
    writeFileSync(join(dir, 'd', 'top.ts'), goodLine('top'));
    const r = await scanJson(dir);
    expect(where(r.report)).toEqual(['d/top.ts:1:6 fake-token', 'good.ts:1:6 fake-token']);
    const cut = Array.from({ length: 1001 }, () => 'd').join('/');
    expect(notes(r.report)).toEqual([`warning ${cut}: skipped: more than 1000 folders deep (nothing under it is scanned)`]);
    expect(r.code).toBe(1);
  });
});
