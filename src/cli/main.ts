// The CLI: parses argv with yargs, runs one command, and returns its exit code (printing only through io).
import yargs, { type Argv } from 'yargs';
import { VERSION } from '../version.js';
import type { CliIO, ExitCode, SpillwayCommand } from './command.js';

/**
 * Every command, in the order `--help` lists them, keyed by its name. A command's modules load only when it
 * runs: importing all of them (Octokit, the image and log sources, remediation) costs more than a scan.
 */
const COMMANDS: Record<string, () => Promise<SpillwayCommand<any>>> = {
  scan: async () => (await import('./commands/scan.js')).scanCommand,
  history: async () => (await import('./commands/history.js')).historyCommand,
  hook: async () => (await import('./commands/hook.js')).hookCommand,
  logs: async () => (await import('./commands/logs.js')).logsCommand,
  image: async () => (await import('./commands/image.js')).imageCommand,
  remediate: async () => (await import('./commands/remediate.js')).remediateCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
  merge: async () => (await import('./commands/merge.js')).mergeCommand,
  rules: async () => (await import('./commands/rules.js')).rulesCommand,
};

/** The commands `argv` needs: the one it names, else every one (for --help and "did you mean"). */
async function commandsFor(argv: string[]): Promise<SpillwayCommand<any>[]> {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [await COMMANDS[first]!()];
  if (first === undefined && argv.some((a) => a === '--version')) return [];
  return Promise.all(Object.values(COMMANDS).map((load) => load()));
}

/** Runs spillway with `argv` (without node and script). Never exits the process. */
export async function runCli(argv: string[], io: CliIO): Promise<ExitCode> {
  // The command runs only after the whole parse has passed: yargs calls the handler even when a check fails.
  let pending: (() => Promise<ExitCode>) | undefined;
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
  skipHelpRenderAfterRun(parser);
  for (const cmd of await commandsFor(argv)) {
    parser = parser.command({
      command: cmd.command,
      describe: cmd.describe,
      ...(cmd.aliases ? { aliases: cmd.aliases } : {}),
      builder: cmd.builder,
      handler: (args) => {
        pending = () => cmd.run(args, io);
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
    return await pending();
  } catch (err) {
    io.stderr(`spillway: ${(err as Error).message}\n`);
    return 2;
  }
}

/** The part of yargs' internal API that `skipHelpRenderAfterRun` replaces. */
interface YargsInternals {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
}

/**
 * yargs renders the whole help text of a command every time that command runs (`cacheHelpMessage`, so that a
 * handler could show it later): for `scan`'s options that costs more CPU than a pre-commit scan of 20 files.
 * No handler of ours shows help, so that render is skipped; `--help` and usage errors render help as before.
 */
export function skipHelpRenderAfterRun(parser: Argv): boolean {
  const usage = (parser as unknown as YargsInternals).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage !== 'function') return false;
  usage.cacheHelpMessage = () => {};
  return true;
}
