// Builds real git repositories in temporary folders for the git tests, with fixed authors and dates.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

let clock = Date.parse('2024-01-01T00:00:00Z') / 1000;

/** Environment for test git commands: no user or system config, deterministic identity. */
export function testGitEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Ada Tester',
    GIT_AUTHOR_EMAIL: 'ada@example.test',
    GIT_COMMITTER_NAME: 'Ada Tester',
    GIT_COMMITTER_EMAIL: 'ada@example.test',
  };
}

/** A scratch repository with helpers to write files and commit them. */
export class TestRepo {
  constructor(readonly dir: string) {}

  static create(opts: { bare?: boolean } = {}): TestRepo {
    const dir = mkdtempSync(join(tmpdir(), 'spillway-git-'));
    const repo = new TestRepo(dir);
    repo.git('init', '-q', '-b', 'main', ...(opts.bare ? ['--bare'] : []));
    return repo;
  }

  /** Runs git (trusted: this is the test building its fixture) and returns stdout. */
  git(...args: string[]): string {
    clock += 60;
    const date = `${clock} +0000`;
    return execFileSync('git', ['-C', this.dir, ...args], {
      env: { ...testGitEnv(), GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    }).trim();
  }

  write(files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
  }

  /** Writes `files`, stages everything and commits; returns the commit id. */
  commit(message: string, files: Record<string, string> = {}): string {
    this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  blobOf(rev: string, path: string): string {
    return this.git('rev-parse', `${rev}:${path}`);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A factory of test repositories, all removed after the test file that calls it. */
export function repoFactory(): (opts?: { bare?: boolean }) => TestRepo {
  const repos: TestRepo[] = [];
  afterAll(() => repos.forEach((r) => r.remove()));
  return (opts = {}) => {
    const r = TestRepo.create(opts);
    repos.push(r);
    return r;
  };
}
