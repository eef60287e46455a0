// `spillway image IMAGE.tar...`: scan container image archives (docker save, OCI layout) without a Docker engine.
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { scanItems } from '../../scan/corridor.js';
import { ImageSource } from '../../sources/image.js';
import type { Finding, ScanNote } from '../../types.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { findingsExitCode, withOutputOptions, writeReport, type OutputArgs } from '../output.js';
import { prepareScan, withScanOptions, type ScanArgs } from '../prepare.js';
import { verifyIfAsked } from '../verify-findings.js';

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
    const prepared = await prepareScan(args, io.cwd, io);
    if (!prepared) return 2;
    const started = new Date().toISOString();
    const notes: ScanNote[] = [];
    const findings: Finding[] = [];
    let scanned = 0;
    for (const archive of args.archives) {
      const display = relative(io.cwd, resolve(io.cwd, archive)).split('\\').join('/');
      const source = new ImageSource(resolve(io.cwd, archive), { display, maxFileBytes: args.maxFileSize });
      try {
        const result = await scanItems(source.items(), prepared.detector, { maxFileSize: args.maxFileSize, skipNotes: 'count', display });
        findings.push(...result.findings);
        notes.push(...result.notes);
        scanned += result.scanned;
      } catch (error) {
        notes.push({ level: 'error', input: display, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      }
      notes.push(...source.notes);
    }
    const verified = await verifyIfAsked(prepared.suppress(findings).findings, args, io);
    const kept = verified.findings;
    await writeReport(
      { findings: kept, notes: [...notes, ...verified.notes], rules: prepared.detector.rules, info: { root: io.cwd, mode: 'image', startedAt: started, finishedAt: new Date().toISOString() } },
      args,
      io,
    );
    if (scanned === 0 && notes.some((n) => n.level === 'error')) return 2;
    return findingsExitCode(kept);
  },
};
