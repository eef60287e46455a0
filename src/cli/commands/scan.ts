// `spillway scan [paths..]`: the working-tree scan.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { scanFiles } from '../../scan/files.js';
import { createProgress } from '../../scan/progress.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { findingsExitCode, withOutputOptions, writeReport, type OutputArgs } from '../output.js';
import { prepareScan, withScanOptions, type ScanArgs } from '../prepare.js';
import { verifyIfAsked } from '../verify-findings.js';
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
    const prepared = await prepareScan(args, root, io);
    if (!prepared) return 2;
    const started = new Date().toISOString();
    const progress = createProgress(io);
    const result = await scanFiles({
      root,
      paths: args.paths.map((p) => resolve(io.cwd, p)),
      noGit: !args.git,
      exclude: args.exclude,
      ...(args.threads !== undefined ? { threads: args.threads } : {}),
      maxFileSize: args.maxFileSize,
      config: prepared.config,
      fingerprintKey: prepared.fingerprintKey,
      onProgress: progress.update,
    });
    progress.done();
    if (args.debug) {
      const { files, bytes, skipped, threads } = result.stats;
      io.stderr(`spillway: debug: ${files} files scanned (${bytes} bytes), ${skipped} skipped, ${threads} thread(s)\n`);
    }
    const { findings, notes } = await verifyIfAsked(prepared.suppress(result.findings).findings, args, io);
    await writeReport(
      { findings, notes: [...result.notes, ...notes], rules: prepared.detector.rules, info: { root, mode: 'files', startedAt: started, finishedAt: new Date().toISOString() } },
      args,
      io,
    );
    if (result.stats.files === 0 && result.notes.some((n) => n.level === 'error')) return 2;
    return findingsExitCode(findings);
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
