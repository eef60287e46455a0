// The shape every CLI command takes: yargs options in, an exit code out; no command touches process.
import type { Argv } from 'yargs';

/** What a command may use of the outside world; tests pass their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal: progress bars and colour are allowed. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  stdin?: NodeJS.ReadableStream;
}

/** Exit codes: 0 clean, 1 findings, 2 usage or runtime error. */
export type ExitCode = 0 | 1 | 2;

/** A yargs command whose handler returns an exit code instead of exiting. */
export interface SpillwayCommand<A = Record<string, unknown>> {
  command: string | string[];
  describe: string;
  aliases?: string[];
  builder: (y: Argv) => Argv<A>;
  run: (args: A, io: CliIO) => Promise<ExitCode>;
}
