// `spillway history [revs..]`: audits every blob and message in a repository's git history.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { findingsExitCode, withOutputOptions, writeReport, type OutputArgs } from '../output.js';
import { runCliScan, setupOptions, withScanOptions, type ScanArgs } from '../prepare.js';
import { historyProgress } from '../progress.js';
import { isGitDate } from '../../sources/git/git-date.js';
import { repoInfo } from '../../sources/git/repo-info.js';
import { terminal } from '../../report/escape.js';

interface Args extends OutputArgs, ScanArgs {
  revs: string[];
  repo?: string;
  branch?: string[];
  since?: string;
  until?: string;
  maxCount?: number;
  notes: boolean;
  cache: boolean | string;
  maxFileSize: number;
  threads?: number;
}

export const historyCommand: SpillwayCommand<Args> = {
  command: 'history [revs..]',
  describe: 'Audit git history: every reachable blob once, commit and tag messages; findings name the commit that introduced them',
  builder: (y: Argv) =>
    withOutputOptions(withScanOptions(y, 'low'))
      .positional('revs', { type: 'string', array: true, default: [], describe: 'Revision ranges (e.g. main..feature); default: every ref' })
      .option('repo', { type: 'string', describe: 'Repository to audit, a work tree or a bare repository (default: the current folder)' })
      .option('branch', { type: 'string', array: true, describe: 'Walk only this branch (repeatable)' })
      .option('since', { type: 'string', requiresArg: true, describe: 'Only commits more recent than this date (as git log --since)' })
      .option('until', { type: 'string', requiresArg: true, describe: 'Only commits older than this date (as git log --until)' })
      .option('max-count', { type: 'number', describe: 'Walk at most this many commits' })
      .option('notes', { type: 'boolean', default: false, describe: 'Also walk refs/notes/*' })
      .option('cache', {
        describe: 'Cache of blobs found clean, for incremental re-audits: a file path, or --no-cache (default: .git/spillway/history-cache)',
        default: true,
        coerce: (v: unknown) => (v === false || v === 'false' ? false : v === true || v === 'true' || v === undefined ? true : String(v)),
      })
      .option('max-file-size', { type: 'number', default: 10 * 1024 * 1024, describe: 'Skip blobs larger than this many bytes (with a note)' })
      .option('threads', { type: 'number', describe: 'Worker threads for detection (default: one per core)' }) as unknown as Argv<Args>,
  run: async (args: Args, io: CliIO): Promise<ExitCode> => {
    const repo = resolve(io.cwd, args.repo ?? '.');
    let info;
    try {
      info = await repoInfo(repo);
    } catch (err) {
      io.stderr(`spillway history: ${terminal((err as Error).message)}\n`);
      return 2;
    }
    for (const [flag, value] of [['--since', args.since], ['--until', args.until]] as const) {
      if (value === undefined || (await isGitDate(info.root, value))) continue;
      io.stderr(`spillway history: ${flag} ${JSON.stringify(value)} is not a date git understands (e.g. 2024-01-31, "2 weeks ago", yesterday)\n`);
      return 2;
    }
    const progress = io.isTTY ? historyProgress(io.stderr) : undefined;
    let result;
    try {
      result = await runCliScan(args, io, {
        ...setupOptions(args, info.root, io),
        target: {
          kind: 'history',
          repo,
          repoInfo: info,
          revs: args.revs,
          ...(args.branch ? { branches: args.branch } : {}),
          ...(args.since !== undefined ? { since: args.since } : {}),
          ...(args.until !== undefined ? { until: args.until } : {}),
          ...(args.maxCount !== undefined ? { maxCount: args.maxCount } : {}),
          includeNotes: args.notes,
          ...(args.threads !== undefined ? { threads: args.threads } : {}),
          cache: typeof args.cache === 'string' ? resolve(io.cwd, args.cache) : args.cache,
          ...(progress ? { onProgress: progress.update } : {}),
        },
        maxFileSize: args.maxFileSize,
      });
    } catch (err) {
      progress?.done();
      io.stderr(`spillway history: ${terminal((err as Error).message)}\n`);
      return 2;
    }
    progress?.done();
    if (!result) return 2;
    await writeReport(result, args, io);
    return findingsExitCode(result.findings, args.failOn);
  },
};
