// Runs the built CLI (dist/, built by the global setup) on git test repositories, with a test rule set.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

/** A spillway config holding only the `test-token` rule (the same as test/git/detector.ts). */
export const TEST_RULES = [
  '[extend]',
  'useDefault = false',
  '',
  '[[rules]]',
  'id = "test-token"',
  'description = "Test token"',
  "regex = '''\\b(tkn_[a-z0-9]{24})\\b'''",
  'keywords = ["tkn_"]',
  '',
].join('\n');

/** Writes TEST_RULES to `dir/name` and returns the path. */
export function writeRules(dir: string, name = 'rules.toml'): string {
  const path = join(dir, name);
  writeFileSync(path, TEST_RULES);
  return path;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `spillway ...args` in `cwd` with a fixed fingerprint key. */
export function spillway(args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, SPILLWAY_FINGERPRINT_KEY: 'git-cli-test-key', ...env }, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
    );
  });
}
