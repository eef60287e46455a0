// Builds real git repositories in temporary folders for tests: commits with chosen files, branches, bare mirrors.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.test',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.test',
};

/** Runs git in `cwd` and returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
}

/** A temporary folder, removed by `cleanup`. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), `spillway-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A new repository on branch main at `path`. */
export function initRepo(path: string): string {
  mkdirSync(path, { recursive: true });
  git(path, 'init', '-q');
  return path;
}

/** Writes `files` (path -> content; null deletes) and commits them; returns the commit id. */
export function commit(repo: string, message: string, files: Record<string, string | null>): string {
  for (const [file, content] of Object.entries(files)) {
    const full = join(repo, file);
    if (content === null) {
      git(repo, 'rm', '-q', '--', file);
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    git(repo, 'add', '--', file);
  }
  git(repo, 'commit', '-q', '--allow-empty', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

/** Deterministic fake values for tests: built at run time so no secret-shaped literal sits in the source. */
export function fakeAwsKeyId(seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let state = seed >>> 0;
  let body = '';
  for (let i = 0; i < 16; i += 1) {
    // mulberry32: 32-bit integer steps, exact in JavaScript numbers.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    body += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return 'AKIA' + body;
}
