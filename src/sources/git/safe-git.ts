// Runs git on an untrusted repository: its config, hooks and attributes must never make git run code.
import { spawn } from 'node:child_process';

/**
 * `-c` overrides that neutralise every config key a hostile `.git/config` could use to run a program
 * during the read-only commands we issue. Command-line config wins over the repository's.
 */
const SAFE_CONFIG_VALUES: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.sshCommand=false',
  'core.gitProxy=false',
  'core.askPass=false',
  'core.pager=cat',
  'core.editor=false',
  'core.alternateRefsCommand=false',
  'core.untrackedCache=false',
  'core.attributesFile=/dev/null',
  'credential.helper=',
  'diff.external=',
  'gpg.program=false',
  'log.showSignature=false',
  'protocol.allow=never',
  'uploadpack.packObjectsHook=',
  'safe.directory=*',
];

export const SAFE_GIT_CONFIG: readonly string[] = SAFE_CONFIG_VALUES.flatMap((kv) => ['-c', kv]);

/** Environment for git: no system or global config, no prompts, no pager, no replace refs or grafts, no optional locks. */
export function safeGitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'SYSTEMROOT']) {
    if (base[key] !== undefined) env[key] = base[key];
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'false',
    SSH_ASKPASS: 'false',
    GIT_PAGER: 'cat',
    GIT_NO_REPLACE_OBJECTS: '1',
    // A repository's info/grafts can cut history off: read the commits' real parents.
    GIT_GRAFT_FILE: '/dev/null',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_LAZY_FETCH: '1',
  };
}

/** Full argument list for a git command on `repo`: safe config first, then the subcommand. */
export function safeGitArgs(repo: string, args: readonly string[]): string[] {
  return ['-C', repo, '--no-pager', ...SAFE_GIT_CONFIG, ...args];
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs one git command to completion (for small outputs); never throws on a non-zero exit.
 * `extraEnv` adds variables on top of safeGitEnv (e.g. GIT_INDEX_FILE, which git sets for a hook).
 */
export function runGit(repo: string, args: readonly string[], input?: Buffer | string, extraEnv: Record<string, string> = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', safeGitArgs(repo, args), { env: { ...safeGitEnv(), ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(input);
  });
}
