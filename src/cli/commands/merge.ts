// `spillway merge A.sarif B.sarif ... --output OUT.sarif`: one SARIF log from many (shards of an audit).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Log } from 'sarif';
import type { Argv } from 'yargs';
import { mergeSarif, parseSarif } from '../../audit/merge-sarif.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { writeFileSafely } from '../../safe-fs.js';

interface Args {
  files: string[];
  output?: string;
}

export const mergeCommand: SpillwayCommand<Args> = {
  command: 'merge <files..>',
  describe: 'Merge SARIF logs: runs concatenated, results deduplicated by partialFingerprints per repository',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'SARIF files to merge, in order' })
      .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the merged log to FILE (mode 0600) instead of stdout' })
      .epilogue('Exit codes: 0 merged, 2 an input could not be read (the others are still merged and written).') as unknown as Argv<Args>,
  run: async (args: Args, io: CliIO): Promise<ExitCode> => {
    const logs: Log[] = [];
    let bad = 0;
    for (const file of args.files) {
      try {
        logs.push(parseSarif(await readFile(resolve(io.cwd, file), 'utf8'), file));
      } catch (error) {
        bad += 1;
        const message = (error as NodeJS.ErrnoException).code ? `${file}: cannot read it (${(error as Error).message})` : (error as Error).message;
        io.stderr(`spillway merge: ${message}\n`);
      }
    }
    if (logs.length === 0) {
      io.stderr('spillway merge: no SARIF log could be read\n');
      return 2;
    }
    const { log, duplicates } = mergeSarif(logs);
    const text = JSON.stringify(log, null, 2) + '\n';
    if (args.output) await writeFileSafely(resolve(io.cwd, args.output), text);
    else io.stdout(text);
    const results = log.runs.reduce((sum, run) => sum + (run.results?.length ?? 0), 0);
    io.stderr(`spillway merge: ${logs.length} log(s), ${log.runs.length} run(s), ${results} result(s), ${duplicates} duplicate(s) dropped\n`);
    return bad > 0 ? 2 : 0;
  },
};
