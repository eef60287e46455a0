// `spillway audit --org NAME | --user NAME | --repos FILE`: the history audit over many repositories, one SARIF log.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { runAudit } from '../../audit/audit.js';
import { createGitHubClient } from '../../audit/github-client.js';
import { listOrgRepos, listUserRepos, parseReposList, type RepoRef } from '../../audit/repos.js';
import { matrixJson, splitShards } from '../../audit/shards.js';
import { renderAuditTable } from '../../audit/summary-table.js';
import { terminal } from '../../report/escape.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { writeFileSafely } from '../../safe-fs.js';

interface Args {
  org?: string;
  user?: string;
  repos?: string;
  cacheDir?: string;
  concurrency: number;
  output?: string;
  shards?: number;
  shard?: number;
  emitMatrix: boolean;
  apiUrl?: string;
  serverUrl?: string;
}

/** The default cache: $XDG_CACHE_HOME/spillway/audit, else ~/.cache/spillway/audit. */
function defaultCacheDir(env: CliIO['env']): string {
  return join(env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache'), 'spillway', 'audit');
}

async function listRepos(args: Args, io: CliIO): Promise<{ repos: RepoRef[]; target: string }> {
  const serverUrl = args.serverUrl ?? io.env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  if (args.repos) {
    const file = resolve(io.cwd, args.repos);
    const text = await readFile(file, 'utf8').catch((error: Error) => {
      throw new Error(`--repos ${args.repos}: cannot read it (${error.message})`);
    });
    return { repos: parseReposList(text, args.repos, serverUrl), target: `repos:${file}` };
  }
  const octokit = createGitHubClient({
    baseUrl: args.apiUrl ?? io.env['GITHUB_API_URL'] ?? 'https://api.github.com',
    token: io.env['GITHUB_TOKEN'],
    log: (message) => io.stderr(`spillway: ${terminal(message)}\n`),
  });
  const [kind, name] = args.org ? (['org', args.org] as const) : (['user', args.user!] as const);
  try {
    const repos = kind === 'org' ? await listOrgRepos(octokit, name) : await listUserRepos(octokit, name);
    return { repos, target: `${kind}:${name}` };
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new Error(`cannot list the repositories of ${kind} ${name}${status ? ` (HTTP ${status})` : ''}: ${(error as Error).message}`);
  }
}

function checkArgs(args: Args): void {
  const targets = [args.org, args.user, args.repos].filter((value) => value !== undefined);
  if (targets.length !== 1) throw new TypeError('give exactly one of --org, --user and --repos');
  if (args.shard !== undefined && args.shards === undefined) throw new TypeError('--shard needs --shards');
  if (args.shard !== undefined && (!Number.isInteger(args.shard) || args.shard < 0 || args.shard >= args.shards!)) {
    throw new TypeError(`--shard must be an integer from 0 to ${args.shards! - 1}; got ${args.shard}`);
  }
  if (args.emitMatrix && args.shards === undefined) throw new TypeError('--emit-matrix needs --shards');
}

async function audit(args: Args, io: CliIO): Promise<ExitCode> {
  checkArgs(args);
  let { repos, target } = await listRepos(args, io);
  if (args.shards !== undefined) {
    const shards = splitShards(repos, args.shards);
    if (args.emitMatrix) {
      io.stdout(`${matrixJson(shards)}\n`);
      return 0;
    }
    if (args.shard !== undefined) {
      repos = shards[args.shard]!;
      target += ` shard ${args.shard}/${args.shards}`;
    }
  }
  io.stderr(`spillway: auditing ${repos.length} repositories (${target})\n`);
  const outcome = await runAudit({
    repos,
    target,
    cacheDir: resolve(io.cwd, args.cacheDir ?? defaultCacheDir(io.env)),
    concurrency: args.concurrency,
    token: io.env['GITHUB_TOKEN'],
    authOrigin: args.serverUrl ?? io.env['GITHUB_SERVER_URL'] ?? 'https://github.com',
    env: io.env,
    log: (line) => io.stderr(`spillway: ${terminal(line)}\n`),
  });
  const sarif = JSON.stringify(outcome.log, null, 2) + '\n';
  if (args.output) await writeFileSafely(resolve(io.cwd, args.output), sarif);
  else io.stdout(sarif);
  io.stderr(terminal(renderAuditTable(outcome), true));
  if (repos.length > 0 && outcome.failed === repos.length) return 2;
  return outcome.findings > 0 ? 1 : 0;
}

export const auditCommand: SpillwayCommand<Args> = {
  command: 'audit',
  describe: 'Audit the full history of every repository of an organisation or user (one SARIF log, one run per repository)',
  builder: (y: Argv) =>
    y
      .option('org', { type: 'string', describe: 'Every repository of this GitHub organisation' })
      .option('user', { type: 'string', describe: 'Every repository this GitHub user owns' })
      .option('repos', { type: 'string', describe: 'FILE listing repositories, one a line: owner/name or an https:// or file:// clone URL' })
      .option('cache-dir', { type: 'string', describe: 'Mirrors, per-repository reports and the resume state (default ~/.cache/spillway/audit)' })
      .option('concurrency', { type: 'number', default: 2, describe: 'Repositories audited at once' })
      .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the SARIF log to FILE (mode 0600) instead of stdout' })
      .option('shards', { type: 'number', describe: 'Split the repositories into N shards balanced by size' })
      .option('shard', { type: 'number', describe: 'Audit only shard K (0-based) of --shards N' })
      .option('emit-matrix', { type: 'boolean', default: false, describe: 'Print the shards as a GitHub Actions matrix and stop' })
      .option('api-url', { type: 'string', describe: 'GitHub REST API root (default $GITHUB_API_URL or https://api.github.com)' })
      .option('server-url', { type: 'string', describe: 'Where owner/name repositories are cloned from (default $GITHUB_SERVER_URL or https://github.com)' })
      .epilogue('GITHUB_TOKEN, when set, authenticates the listing and https clones from the server URL. Exit codes: 0 clean, 1 findings, 2 every repository failed or bad usage.') as unknown as Argv<Args>,
  run: async (args: Args, io: CliIO): Promise<ExitCode> => {
    try {
      return await audit(args, io);
    } catch (error) {
      io.stderr(`spillway audit: ${terminal((error as Error).message)}\n`);
      return 2;
    }
  },
};
