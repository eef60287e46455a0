// Runs one SpillwayCommand through yargs, as src/cli/main.ts does, with captured stdout and stderr.
import yargs from 'yargs';
import type { CliIO, ExitCode, SpillwayCommand } from '../../src/cli/command.js';

export interface CommandRun {
  code: ExitCode;
  stdout: string;
  stderr: string;
}

/** Parses `argv` for `command` and runs it with an io whose env and cwd the test chooses. */
export async function runCommand(command: SpillwayCommand<any>, argv: string[], env: Record<string, string | undefined>, cwd: string, opts: { isTTY?: boolean } = {}): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), isTTY: opts.isTTY ?? false, env, cwd };
  let pending: Promise<ExitCode> | undefined;
  let failure: string | undefined;
  await yargs(argv)
    .exitProcess(false)
    .strict()
    .command({ command: command.command, describe: command.describe, builder: command.builder, handler: (args) => void (pending = command.run(args, io)) })
    .parseAsync(argv, {}, (err, _args, output) => {
      if (err) failure = err.message;
      else if (output) stdout += `${output}\n`;
    })
    .catch((err: Error) => (failure ??= err.message));
  if (failure !== undefined) return { code: 2, stdout, stderr: `${stderr}${failure}\n` };
  const code = pending ? await pending : 0;
  return { code, stdout, stderr };
}
