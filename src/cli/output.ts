// Shared by every scanning command: renders the report, writes it to stdout or a file, picks the exit code.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { terminal } from '../report/escape.js';
import { reporters, type ReportFormat } from '../report/index.js';
import { FAIL_ON, failsOn, type FailOn } from '../scan/fail-on.js';
import type { Finding, RuleMeta, ScanInfo, ScanNote } from '../types.js';
import { writeFileSafely } from '../safe-fs.js';
import { VERSION } from '../version.js';
import type { CliIO, ExitCode } from './command.js';

export const FORMATS = ['text', 'json', 'sarif'] as const satisfies readonly ReportFormat[];

export interface OutputArgs {
  format: ReportFormat;
  output?: string;
  showSecrets: boolean;
  redact: boolean;
  color?: boolean;
  verify: boolean;
  onlyVerified: boolean;
  allowInternal: boolean;
  failOn: FailOn;
}

/** Adds --format, --output, --redact, --show-secrets, --color, --fail-on and the --verify options to a command. */
export function withOutputOptions<T>(y: Argv<T>) {
  return y
    .option('format', { alias: 'f', requiresArg: true, choices: FORMATS, default: 'text' as ReportFormat, describe: 'Report format' })
    .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the report to FILE (mode 0600) instead of stdout' })
    .option('redact', { type: 'boolean', default: true, describe: 'Show secrets as their length, after a public kind prefix such as ghp_ or AKIA (always, unless --show-secrets)' })
    .option('show-secrets', { type: 'boolean', default: false, describe: 'Print secrets in full in the report' })
    .option('color', { type: 'boolean', describe: 'Colour the text report (default: when stdout is a terminal)' })
    .option('fail-on', { choices: FAIL_ON, default: 'any' as FailOn, describe: 'Which findings exit 1: any, high (high or critical only) or none' })
    .option('verify', { type: 'boolean', default: false, describe: "Check each secret that has an identity endpoint with its own provider (network; off by default)" })
    .option('only-verified', { type: 'boolean', default: false, describe: 'Report only secrets verified active (implies --verify)' })
    .option('allow-internal', { type: 'boolean', default: false, describe: 'With --verify: allow private, loopback and link-local addresses (e.g. an internal VAULT_ADDR)' })
    // One explicit way to print secrets: --no-redact alone must not become a second one.
    .check((argv) => {
      if (argv.redact === false && !argv['show-secrets']) throw new Error('--no-redact does not print secrets: use --show-secrets to print them in full');
      return true;
    });
}

export interface ReportInput {
  findings: Finding[];
  notes: ScanNote[];
  info: ScanInfo;
  rules: RuleMeta[];
}

/** Renders and writes the report; notes go to stderr as well when the report goes elsewhere. */
export async function writeReport(input: ReportInput, args: OutputArgs, io: CliIO): Promise<void> {
  const showSecrets = args.showSecrets;
  const text = reporters[args.format](input.findings, {
    rules: input.rules,
    info: input.info,
    notes: input.notes,
    toolVersion: VERSION,
    showSecrets,
    color: args.format === 'text' && !args.output && (args.color ?? (io.isTTY && !io.env.NO_COLOR)),
  });
  if (args.output) {
    await writeFileSafely(resolve(io.cwd, args.output), text);
  } else {
    io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }
  if (args.format !== 'text' || args.output) {
    for (const note of input.notes) io.stderr(`spillway: ${note.level}: ${terminal(`${note.input}: ${note.message}`)}\n`);
  }
}

/** 1 when the findings fail the run under --fail-on (by default: anything found), else 0. */
export function findingsExitCode(findings: readonly Finding[], failOn: FailOn): ExitCode {
  return failsOn(failOn, findings) ? 1 : 0;
}
