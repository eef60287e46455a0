// The CLI: parses argv with yargs, runs one command, and returns its exit code (printing only through io).
import yargs, { type Argv } from 'yargs';
import { VERSION } from '../version.js';
import type { CliIO, ExitCode, SpillwayCommand } from './command.js';
import { auditCommand } from './commands/audit.js';
import { historyCommand } from './commands/history.js';
import { hookCommand } from './commands/hook.js';
import { imageCommand } from './commands/image.js';
import { logsCommand } from './commands/logs.js';
import { mergeCommand } from './commands/merge.js';
import { remediateCommand } from './commands/remediate.js';
import { rulesCommand } from './commands/rules.js';
import { scanCommand } from './commands/scan.js';

/** Every command, in the order `--help` lists them. */
const COMMANDS: SpillwayCommand<any>[] = [scanCommand, historyCommand, hookCommand, logsCommand, imageCommand, remediateCommand, auditCommand, mergeCommand, rulesCommand];

/** Runs spillway with `argv` (without node and script). Never exits the process. */
export async function runCli(argv: string[], io: CliIO): Promise<ExitCode> {
  let pending: Promise<ExitCode> | undefined;
  let parser: Argv = yargs(argv)
    .scriptName('spillway')
    .usage('$0 <command> [options]\n\nFind leaked secrets, report them, and remediate them.')
    .exitProcess(false)
    .strict()
    .demandCommand(1, 'Name a command (see --help).')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(VERSION)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 no findings, 1 findings, 2 usage or runtime error.');
  for (const cmd of COMMANDS) {
    parser = parser.command({
      command: cmd.command,
      describe: cmd.describe,
      ...(cmd.aliases ? { aliases: cmd.aliases } : {}),
      builder: cmd.builder,
      handler: (args) => {
        pending = cmd.run(args, io);
      },
    });
  }
  let failure: string | undefined;
  let output = '';
  try {
    await parser.parseAsync(argv, {}, (err, _args, out) => {
      if (err) failure = err.message;
      output = out;
    });
  } catch (err) {
    failure ??= (err as Error).message;
  }
  if (failure !== undefined) {
    io.stderr(output.includes(failure) ? `${output}\n` : `${output}\n\n${failure}\n`);
    return 2;
  }
  if (output) io.stdout(`${output}\n`);
  if (!pending) return 0;
  try {
    return await pending;
  } catch (err) {
    io.stderr(`spillway: ${(err as Error).message}\n`);
    return 2;
  }
}
