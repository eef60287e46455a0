// Test helpers: throwaway folders and git repositories for the working-tree scan tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { walkFiles, type WalkFile } from '../../src/sources/walk.js';
import type { ScanNote } from '../../src/types.js';

/** A fresh temporary folder; `cleanup()` removes it. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'spillway-scan-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `files` (relative path -> content) under `dir`, creating folders. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
}

/** Runs git in `dir` with a fixed identity (tests only; the scanner itself uses safe-git). */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'init.defaultBranch=main', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
}

/** Runs the walker and splits what it yields into display paths and notes. */
export async function walkAll(opts: Parameters<typeof walkFiles>[0]): Promise<{ paths: string[]; files: WalkFile[]; notes: ScanNote[] }> {
  const files: WalkFile[] = [];
  const notes: ScanNote[] = [];
  for await (const item of walkFiles(opts)) {
    if (item.kind === 'file') files.push(item);
    else notes.push(item.note);
  }
  return { paths: files.map((f) => f.path), files, notes };
}

/** Absolute path of a compiled module in dist/ (test/global-setup.ts builds it). */
export function distModule(rel: string): string {
  return fileURLToPath(new URL(`../../dist/${rel}`, import.meta.url));
}

/** Runs an ES module snippet as uid/gid 65534 when we are root (so permissions bite), else as ourselves. */
export function runUnprivileged(code: string): string {
  const asRoot = process.getuid?.() === 0;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  if (res.status !== 0) throw new Error(`child failed: ${res.stderr}`);
  return res.stdout;
}
