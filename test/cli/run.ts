// Runs the built CLI (dist/, built by the global setup) in a child process, as a user would.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'dist/cli/bin.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `spillway ...args` in `cwd` with a fixed fingerprint key and a private HOME. */
export function spillway(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string }): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: opts.cwd,
        env: { PATH: process.env.PATH ?? '', HOME: opts.cwd, SPILLWAY_FINGERPRINT_KEY: 'cli-test-key', ...opts.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** A temporary folder holding `files` (path -> text). */
export async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spillway-cli-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}
