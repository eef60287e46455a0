// The CLI: parses argv with yargs, runs one command, and returns its exit code (printing only through io).
import type { Argv } from 'yargs';
import { terminal } from '../report/escape.js';
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

/** What the commit hook runs (`hook install`, .pre-commit-hooks.yaml): parsed without loading yargs. */
const HOOK_ARGV = ['scan', '--staged'];

/**
 * The arguments yargs gives `cmd` for `argv` when every option keeps its default (`set` aside): read from the
 * defaults its builder declares. The commit hook's `scan --staged` skips yargs (a tenth of its CPU); a test
 * checks that yargs parses it to the same object.
 */
export function defaultArgs(cmd: SpillwayCommand<any>, argv: string[], set: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = { _: argv.filter((a) => !a.startsWith('-')).slice(0, 1), $0: 'spillway' };
  const declare = (name: string, opts: { default?: unknown; alias?: string | string[] } = {}) => {
    if (opts.default === undefined) return;
    for (const key of [name, name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), ...[opts.alias ?? []].flat()]) args[key] = opts.default;
  };
  const recorder: unknown = new Proxy(
    {},
    {
      get: (_, method) =>
        (...params: [string, { default?: unknown; alias?: string | string[] }?]) => {
          if (method === 'option' || method === 'positional') declare(...params);
          return recorder;
        },
    },
  );
  cmd.builder(recorder as Argv);
  return { ...args, ...set };
}

/** Runs spillway with `argv` (without node and script). Never exits the process. */
export async function runCli(argv: string[], io: CliIO): Promise<ExitCode> {
  if (argv.length === HOOK_ARGV.length && argv.every((a, i) => a === HOOK_ARGV[i])) {
    const scan = await COMMANDS.scan!();
    return runCommand(() => scan.run(defaultArgs(scan, argv, { staged: true }), io), io);
  }
  const { default: yargs } = await import('yargs');
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
  return pending ? runCommand(pending, io) : 0;
}

/** Runs a parsed command; an error it throws is printed, exit 2. */
async function runCommand(run: () => Promise<ExitCode>, io: CliIO): Promise<ExitCode> {
  try {
    return await run();
  } catch (err) {
    io.stderr(`spillway: ${terminal((err as Error).message)}\n`);
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
