// `spillway logs FILE...` and `spillway logs --github OWNER/REPO --run ID | --job ID | --since DATE`: CI logs.
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { ItemSource } from '../../scan/run-scan.js';
import type { TextChunk } from '../../sources/file-input.js';
import { GithubLogsSource } from '../../sources/github-logs.js';
import { DEFAULT_MAX_FILE_SIZE, readFileBytes } from '../../sources/read-file.js';
import type { ScanNote } from '../../types.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { findingsExitCode, withOutputOptions, writeReport, type OutputArgs } from '../output.js';
import { runCliScan, setupOptions, withScanOptions, type ScanArgs } from '../prepare.js';

interface Args extends OutputArgs, ScanArgs {
  files: string[];
  github?: string;
  run?: number;
  job?: number;
  since?: string;
  concurrency: number;
  maxFileSize: number;
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
      .option('concurrency', { type: 'number', default: 4, describe: 'With --since: runs downloaded at once' })
      .option('max-file-size', { type: 'number', default: DEFAULT_MAX_FILE_SIZE, describe: 'Skip log files larger than this many bytes (with a note)' }) as unknown as Argv<Args>,
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
    let source: ItemSource;
    try {
      source = args.github !== undefined ? githubSource(args, io) : fileSource(args.files, io, args.maxFileSize);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      io.stderr(`spillway: ${error.message}\n`);
      return 2;
    }
    const result = await runCliScan(args, io, {
      ...setupOptions(args, io.cwd, io),
      target: { kind: 'items', mode: 'ci-log', root: io.cwd, sources: [source] },
      maxFileSize: args.maxFileSize,
    });
    if (!result) return 2;
    await writeReport(result, args, io);
    if (result.scanned === 0 && result.notes.some((n) => n.level === 'error')) return 2;
    return findingsExitCode(result.findings, args.failOn);
  },
};

/** Logs fetched from the API are text, not files: they go to the detector as chunks. */
function githubSource(args: Args, io: CliIO): ItemSource {
  const source = new GithubLogsSource({
    repository: args.github!,
    ...(args.run !== undefined ? { runId: args.run } : {}),
    ...(args.job !== undefined ? { jobId: args.job } : {}),
    ...(args.since !== undefined ? { since: args.since } : {}),
    ...(io.env.GITHUB_TOKEN ? { token: io.env.GITHUB_TOKEN } : {}),
    baseUrl: io.env.GITHUB_API_URL || 'https://api.github.com',
    concurrency: args.concurrency,
  });
  return {
    display: args.github!,
    notes: source.notes,
    items: async function* () {
      // Its chunks name a CI run and job (provenance `ci-log`), never a file in a checkout.
      for await (const chunk of source.chunks()) yield { chunk: chunk as TextChunk };
    },
  };
}

/** Log files on disk, read as CI logs through the corridor; an unreadable file is an error note and the others are still scanned. */
function fileSource(files: string[], io: CliIO, maxFileSize: number): ItemSource {
  const notes: ScanNote[] = [];
  return {
    display: files.join(', '),
    notes,
    items: async function* () {
      for (const file of files) {
        const path = relative(io.cwd, resolve(io.cwd, file)).split('\\').join('/');
        const read = await readFileBytes(resolve(io.cwd, file), path, { maxFileSize });
        if ('note' in read) notes.push(read.note);
        else yield { file: { path, provenance: { kind: 'ci-log', path }, bytes: read.bytes, size: read.bytes.length, format: 'ci-log' } };
      }
    },
  };
}
