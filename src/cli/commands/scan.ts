// `spillway scan [paths..]`: the working-tree scan.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { ScanStats } from '../../scan/files.js';
import { createProgress } from '../../scan/progress.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { findingsExitCode, withOutputOptions, writeReport, type OutputArgs } from '../output.js';
import { runCliScan, setupOptions, withScanOptions, type ScanArgs } from '../prepare.js';
import { runStagedScan } from '../staged-scan.js';

interface Args extends OutputArgs, ScanArgs {
  paths: string[];
  git: boolean;
  threads?: number;
  maxFileSize: number;
  staged: boolean;
  exclude: string[];
}

export const scanCommand: SpillwayCommand<Args> = {
  command: 'scan [paths..]',
  describe: 'Scan files and folders (inside a git checkout, what git does not ignore)',
  builder: (y: Argv) =>
    withOutputOptions(withScanOptions(y))
      .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or folders to scan' })
      .option('git', { type: 'boolean', default: true, describe: 'Inside a git checkout, honour .gitignore; --no-git walks everything' })
      .option('threads', { type: 'number', describe: 'Worker threads (default: one per core)' })
      .option('exclude', { type: 'string', array: true, default: [] as string[], describe: 'Skip paths matching this gitignore-style glob (repeatable)' })
      .option('max-file-size', { type: 'number', default: 10 * 1024 * 1024, describe: 'Skip files larger than this many bytes (with a note)' })
      .option('staged', { type: 'boolean', default: false, describe: 'Scan what the next commit would add (the index: new files, added lines), as the pre-commit hook does' }) as unknown as Argv<Args>,
  run: async (args: Args, io: CliIO): Promise<ExitCode> => {
    if (args.staged) return runStagedScan(args, io);
    const root = await scanRoot(args.paths, io.cwd);
    const progress = createProgress(io);
    const result = await runCliScan(args, io, {
      ...setupOptions(args, root, io),
      target: {
        kind: 'files',
        root,
        paths: args.paths.map((p) => resolve(io.cwd, p)),
        noGit: !args.git,
        exclude: args.exclude,
        ...(args.threads !== undefined ? { threads: args.threads } : {}),
        onProgress: progress.update,
      },
      maxFileSize: args.maxFileSize,
    });
    progress.done();
    if (!result) return 2;
    const stats = result.stats as ScanStats;
    if (args.debug) io.stderr(`spillway: debug: ${stats.files} files scanned (${stats.bytes} bytes), ${stats.skipped} skipped, ${stats.threads} thread(s)\n`);
    await writeReport(result, args, io);
    if (stats.files === 0 && result.notes.some((n) => n.level === 'error')) return 2;
    return findingsExitCode(result.findings, args.failOn);
  },
};

/** One folder given: it is the root (paths are reported relative to it). Otherwise the current directory. */
async function scanRoot(paths: string[], cwd: string): Promise<string> {
  if (paths.length === 1) {
    const only = resolve(cwd, paths[0]!);
    const info = await stat(only).catch(() => undefined);
    if (info?.isDirectory()) return only;
  }
  return cwd;
}
