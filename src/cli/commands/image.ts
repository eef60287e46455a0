// `spillway image IMAGE.tar...`: scan container image archives (docker save, OCI layout) without a Docker engine.
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { ItemSource } from '../../scan/run-scan.js';
import { ImageSource } from '../../sources/image.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { findingsExitCode, withOutputOptions, writeReport, type OutputArgs } from '../output.js';
import { runCliScan, setupOptions, withScanOptions, type ScanArgs } from '../prepare.js';

interface Args extends OutputArgs, ScanArgs {
  archives: string[];
  maxFileSize: number;
}

export const imageCommand: SpillwayCommand<Args> = {
  command: 'image <archives..>',
  describe: 'Scan container image archives (docker save or OCI layout tarballs): config, history, labels and every layer',
  builder: (y: Argv) =>
    withOutputOptions(withScanOptions(y))
      .positional('archives', { type: 'string', array: true, describe: 'Image tarballs (docker save -o IMAGE.tar, or an OCI layout tarball)' })
      .option('max-file-size', { type: 'number', default: 10 * 1024 * 1024, describe: 'Skip files in layers larger than this many bytes' }) as unknown as Argv<Args>,
  run: async (args: Args, io: CliIO): Promise<ExitCode> => {
    const sources: ItemSource[] = args.archives.map((archive) => {
      const display = relative(io.cwd, resolve(io.cwd, archive)).split('\\').join('/');
      const source = new ImageSource(resolve(io.cwd, archive), { display, maxFileBytes: args.maxFileSize });
      return { display, items: () => source.items(), notes: source.notes };
    });
    const result = await runCliScan(args, io, {
      ...setupOptions(args, io.cwd, io),
      target: { kind: 'items', mode: 'image', root: io.cwd, sources },
      maxFileSize: args.maxFileSize,
    });
    if (!result) return 2;
    await writeReport(result, args, io);
    if (result.scanned === 0 && result.notes.some((n) => n.level === 'error')) return 2;
    return findingsExitCode(result.findings, args.failOn);
  },
};
