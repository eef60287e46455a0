// Generated git histories for the hostile suite, written with `git fast-import` so thousands of commits take a second.
import { execFileSync } from 'node:child_process';
import { TestRepo, testGitEnv } from '../git/repo.js';

/** One commit of a fast-import stream. */
export interface ImportCommit {
  ref: string;
  /** Message bytes (may be any encoding). */
  message: Buffer;
  /** Mark of the parent commit, if any (`from`). */
  from?: number;
  /** path -> content to write; `null` deletes the path. */
  files: Record<string, string | null>;
}

/** Feeds `commits` to `git fast-import` in a fresh repository; commit i gets mark i + 1. */
export function importHistory(commits: ImportCommit[]): TestRepo {
  const repo = TestRepo.create();
  const parts: Buffer[] = [];
  let time = 1_700_000_000;
  for (const [i, c] of commits.entries()) {
    const lines = [`commit ${c.ref}`, `mark :${i + 1}`, `committer Ada Tester <ada@example.test> ${time++} +0000`, `data ${c.message.length}`];
    parts.push(Buffer.from(lines.join('\n') + '\n'), c.message, Buffer.from('\n'));
    const body: string[] = [];
    if (c.from !== undefined) body.push(`from :${c.from}`);
    for (const [path, text] of Object.entries(c.files)) {
      if (text === null) body.push(`D ${path}`);
      else body.push(`M 100644 inline ${path}`, `data ${Buffer.byteLength(text)}`, text);
    }
    parts.push(Buffer.from(body.join('\n') + '\n\n'));
  }
  execFileSync('git', ['-C', repo.dir, 'fast-import', '--quiet'], { input: Buffer.concat(parts), env: testGitEnv(), maxBuffer: 64 * 1024 * 1024 });
  return repo;
}
