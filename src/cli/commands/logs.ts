// `spillway logs FILE...` and `spillway logs --github OWNER/REPO --run ID | --job ID | --since DATE`: CI logs.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { scanChunks } from '../../scan/chunks.js';
import { ciLogChunks } from '../../sources/ci-logs.js';
import { GithubLogsSource } from '../../sources/github-logs.js';
import type { Chunk, ScanNote } from '../../types.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { findingsExitCode, withOutputOptions, writeReport, type OutputArgs } from '../output.js';
import { prepareScan, withScanOptions, type ScanArgs } from '../prepare.js';
import { verifyIfAsked } from '../verify-findings.js';

interface Args extends OutputArgs, ScanArgs {
  files: string[];
  github?: string;
  run?: number;
  job?: number;
  since?: string;
  concurrency: number;
}

export const logsCommand: SpillwayCommand<Args> = {
  command: 'logs [files..]',
  describe: 'Scan CI logs: log files (GitHub Actions, GitLab CI), or a GitHub repository\'s Actions logs',
  builder: (y: Argv) =>
    withOutputOptions(withScanOptions(y))
      .positional('files', { type: 'string', array: true, default: [], describe: 'Log files to scan' })
      .option('github', { type: 'string', describe: 'OWNER/REPO: download its Actions logs (token from GITHUB_TOKEN, API from GITHUB_API_URL)' })
      .option('run', { type: 'number', describe: 'With --github: the workflow run to scan' })
      .option('job', { type: 'number', describe: 'With --github: only this job' })
      .option('since', { type: 'string', describe: 'With --github: every run created on or after DATE (YYYY-MM-DD)' })
      .option('concurrency', { type: 'number', default: 4, describe: 'With --since: runs downloaded at once' }) as unknown as Argv<Args>,
  run: async (args: Args, io: CliIO): Promise<ExitCode> => {
    if ((args.github === undefined) === (args.files.length === 0)) {
      io.stderr('spillway: logs needs log FILEs or --github OWNER/REPO (not both)\n');
      return 2;
    }
    if (args.github === undefined && (args.run ?? args.job ?? args.since) !== undefined) {
      io.stderr('spillway: --run, --job and --since go with --github\n');
      return 2;
    }
    if (!Number.isInteger(args.concurrency) || args.concurrency < 1) {
      io.stderr(`spillway: --concurrency must be a positive integer, got ${args.concurrency}\n`);
      return 2;
    }
    let source: { chunks: () => AsyncIterable<Chunk>; notes: ScanNote[] };
    try {
      source = args.github !== undefined ? githubSource(args, io) : fileSource(args.files, io);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      io.stderr(`spillway: ${error.message}\n`);
      return 2;
    }
    const prepared = await prepareScan(args, io.cwd, io);
    if (!prepared) return 2;
    const started = new Date().toISOString();
    let scanned = 0;
    const counted = async function* (): AsyncIterable<Chunk> {
      for await (const chunk of source.chunks()) {
        scanned++;
        yield chunk;
      }
    };
    const found = prepared.suppress(await scanChunks(counted(), prepared.detector)).findings;
    const { findings, notes } = await verifyIfAsked(found, args, io);
    await writeReport(
      { findings, notes: [...source.notes, ...notes], rules: prepared.detector.rules, info: { root: io.cwd, mode: 'ci-log', startedAt: started, finishedAt: new Date().toISOString() } },
      args,
      io,
    );
    if (scanned === 0 && source.notes.some((n) => n.level === 'error')) return 2;
    return findingsExitCode(findings);
  },
};

function githubSource(args: Args, io: CliIO): GithubLogsSource {
  return new GithubLogsSource({
    repository: args.github!,
    ...(args.run !== undefined ? { runId: args.run } : {}),
    ...(args.job !== undefined ? { jobId: args.job } : {}),
    ...(args.since !== undefined ? { since: args.since } : {}),
    ...(io.env.GITHUB_TOKEN ? { token: io.env.GITHUB_TOKEN } : {}),
    baseUrl: io.env.GITHUB_API_URL || 'https://api.github.com',
    concurrency: args.concurrency,
  });
}

/** Log files on disk; an unreadable file is an error note and the others are still scanned. */
function fileSource(files: string[], io: CliIO): { chunks: () => AsyncIterable<Chunk>; notes: ScanNote[] } {
  const notes: ScanNote[] = [];
  return {
    notes,
    chunks: async function* () {
      for (const file of files) {
        const path = relative(io.cwd, resolve(io.cwd, file)).split('\\').join('/');
        let text: string;
        try {
          text = await readFile(resolve(io.cwd, file), 'utf8');
        } catch (error) {
          notes.push({ level: 'error', input: path, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
          continue;
        }
        yield* ciLogChunks(text, { kind: 'ci-log', path });
      }
    },
  };
}
