// Runs the built spillway CLI (dist/cli/bin.js) as a child process: the action and the audit drive scans this way.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the built CLI, resolved from the package root: this module sits two levels below it both as
 * src/cli/spawn-cli.ts (tests) and as dist/cli/spawn-cli.js, and only the built dist/cli/bin.js can run.
 */
export const CLI_BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  /** The child's stderr (its last 64 KiB when longer). */
  stderr: string;
}

export interface SpawnCliOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Called with each piece of the child's stderr as it arrives (progress, notes). */
  onStderr?: (text: string) => void;
}

const STDERR_KEEP = 64 * 1024;

/** Runs `spillway ...args` to completion; never throws on a non-zero exit (a failed spawn rejects). */
export function spawnCli(args: readonly string[], options: SpawnCliOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      options.onStderr?.(text);
      stderr = (stderr + text).slice(-STDERR_KEEP);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 2, stdout, stderr }));
  });
}
