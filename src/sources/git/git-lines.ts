// Streams the output of one git command as records (lines or NUL-terminated), without holding it all.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { safeGitArgs, safeGitEnv } from './safe-git.js';

/** Thrown when a streamed git command exits non-zero; carries git's message. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`);
  }
}

/**
 * Yields the records of `git <args>` on `repo` as they arrive, split on `separator` (default newline).
 * Throws GitCommandError after the last record if git fails.
 */
export async function* gitRecords(repo: string, args: readonly string[], separator = '\n'): AsyncGenerator<string> {
  const child = spawn('git', safeGitArgs(repo, args), { env: safeGitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => stderr.push(b));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  exited.catch(() => undefined);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const buf of child.stdout as AsyncIterable<Buffer>) {
      rest += decoder.write(buf);
      let at = rest.indexOf(separator);
      let from = 0;
      while (at >= 0) {
        yield rest.slice(from, at);
        from = at + separator.length;
        at = rest.indexOf(separator, from);
      }
      rest = rest.slice(from);
    }
    rest += decoder.end();
    if (rest.length) yield rest;
    const code = await exited;
    if (code !== 0) throw new GitCommandError(args, code, Buffer.concat(stderr).toString('utf8'));
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
