// `spillway scan --staged`: the pre-commit check of what the commit would add, with a message that blocks it.
import { resolve } from 'node:path';
import { runGit } from '../sources/git/safe-git.js';
import type { Finding } from '../types.js';
import type { CliIO, ExitCode } from './command.js';
import { findingsExitCode, writeReport, type OutputArgs } from './output.js';
import { runCliScan, setupOptions, type ScanArgs } from './prepare.js';

export interface StagedArgs extends OutputArgs, ScanArgs {
  maxFileSize: number;
}

/** Scans the index of the repository around `io.cwd` (or GIT_INDEX_FILE, as git sets it for hooks). */
export async function runStagedScan(args: StagedArgs, io: CliIO): Promise<ExitCode> {
  const top = await runGit(io.cwd, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) {
    io.stderr(`spillway scan --staged: ${io.cwd} is not inside a git work tree (${top.stderr.trim()})\n`);
    return 2;
  }
  const root = top.stdout.toString('utf8').trim();
  const indexFile = io.env.GIT_INDEX_FILE ? resolve(io.cwd, io.env.GIT_INDEX_FILE) : undefined;
  let result;
  try {
    result = await runCliScan({ ...args, verify: false, onlyVerified: false }, io, {
      ...setupOptions(args, root, io),
      target: { kind: 'staged', repo: root, ...(indexFile ? { indexFile } : {}) },
      maxFileSize: args.maxFileSize,
    });
  } catch (err) {
    io.stderr(`spillway scan --staged: ${(err as Error).message}\n`);
    return 2;
  }
  if (!result) return 2;
  await writeReport(result, args, io);
  const code = findingsExitCode(result.findings, args.failOn);
  if (code === 1) io.stderr(blockMessage(result.findings));
  return code;
}

/** What a developer sees when the hook stops a commit: where, which rule, how to suppress, and to rotate. */
export function blockMessage(findings: readonly Finding[]): string {
  const lines = [`spillway: commit blocked: ${findings.length} possible secret(s) in the staged changes:`];
  for (const f of findings) {
    lines.push(`  ${f.location.path}:${f.location.startLine}:${f.location.startColumn}  ${f.ruleId}  ${f.description} (${f.secret.redacted()})`);
  }
  lines.push(
    '',
    'Remove the secret from the staged files (git add them again), then commit.',
    'A false positive? Add `spillway:allow` in a comment on that line, or add its fingerprint to .spillwayignore:',
    ...findings.map((f) => `  ${f.fingerprint}`),
    'If this secret was ever committed or pushed before, deleting it is not enough: it stays in git history. Rotate it',
    '(revoke it and issue a new one), then audit the history with `spillway history`.',
    '',
  );
  return lines.join('\n');
}
