// What every scanning command shares: the scan flags, and the library's runScan with its problems printed.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { terminal } from '../report/escape.js';
import { runScan, type RunScanOptions, type RunScanResult } from '../scan/run-scan.js';
import { ScanSetupError, type SetupOptions } from '../scan/setup.js';
import { CONFIDENCES } from '../detect/confidence.js';
import type { Confidence, ConfigProblem } from '../types.js';
import type { CliIO } from './command.js';
import type { OutputArgs } from './output.js';

export interface ScanArgs {
  config?: string;
  baseline?: string;
  ignoreFile?: string;
  debug: boolean;
  minConfidence: Confidence;
  perUserFingerprints: boolean;
}

/**
 * Adds --config, --baseline, --ignore-file, --min-confidence, --per-user-fingerprints and --debug. `minConfidence` is the command's
 * default: `medium` where a finding interrupts someone (scan, the commit hook, the Action), `low` for audits.
 */
export function withScanOptions<T>(y: Argv<T>, minConfidence: Confidence = 'medium') {
  return y
    .option('min-confidence', {
      choices: [...CONFIDENCES],
      default: minConfidence,
      describe: 'Report only findings at least this sure (low: also short or dictionary passwords and generic values the learned filter doubts)',
    })
    .option('config', { alias: 'c', type: 'string', describe: 'Rule file (spillway or gitleaks TOML); default .spillway.toml or .gitleaks.toml in the root' })
    .option('baseline', { type: 'string', describe: 'An earlier report (spillway JSON or SARIF, or a gitleaks JSON report): report only findings that are not in it' })
    .option('ignore-file', { type: 'string', describe: 'File of fingerprints to ignore (default .spillwayignore and .gitleaksignore in the root)' })
    .option('per-user-fingerprints', {
      type: 'boolean',
      default: false,
      describe: "Fingerprint with this user's own key even inside a repository (default: a key from the repository's root commit, the same for everyone)",
    })
    .option('debug', { type: 'boolean', default: false, describe: 'Explain what is loaded and skipped on stderr (never secrets)' });
}

/** The library's setup options for the command's flags (paths resolved against the working directory). */
export function setupOptions(args: ScanArgs, root: string, io: CliIO): SetupOptions {
  return {
    root,
    env: io.env,
    minConfidence: args.minConfidence,
    ...(args.perUserFingerprints ? { perUserFingerprints: true } : {}),
    ...(args.config ? { configPath: resolve(io.cwd, args.config) } : {}),
    ...(args.baseline ? { baselinePath: resolve(io.cwd, args.baseline) } : {}),
    ...(args.ignoreFile ? { ignoreFilePath: resolve(io.cwd, args.ignoreFile) } : {}),
  };
}

/** Prints configuration problems as every command does. */
export function printProblems(problems: readonly ConfigProblem[], io: CliIO): void {
  for (const p of problems) io.stderr(`spillway: ${p.level === 'error' ? 'config error' : 'config warning'}: ${terminal(`${p.message}${whereFrom(p)}`)}\n`);
}

/** ` (in FILE)` when the message does not name its file already: two files can define the same rule id. */
function whereFrom(p: ConfigProblem): string {
  return p.file !== undefined && !p.message.includes(p.file) ? ` (in ${p.file})` : '';
}

/** Prints a failed setup (every problem, then why); the command exits 2. */
export function printSetupError(err: ScanSetupError, io: CliIO): void {
  printProblems(err.problems, io);
  io.stderr(`spillway: ${terminal(err.message)}\n`);
}

/**
 * Runs the library's scan for a command: prints configuration problems and --debug lines; undefined (exit 2)
 * when setup failed. Other errors (not a repository, git failing) propagate.
 */
export async function runCliScan(args: ScanArgs & Pick<OutputArgs, 'verify' | 'onlyVerified' | 'allowInternal'>, io: CliIO, opts: RunScanOptions): Promise<RunScanResult | undefined> {
  const verify = args.verify || args.onlyVerified ? { verify: { onlyVerified: args.onlyVerified, allowInternal: args.allowInternal } } : {};
  let result;
  try {
    result = await runScan({ ...opts, ...verify });
  } catch (err) {
    if (!(err instanceof ScanSetupError)) throw err;
    printSetupError(err, io);
    return undefined;
  }
  printProblems(result.problems, io);
  if (args.debug) for (const line of result.debug) io.stderr(`spillway: debug: ${terminal(line)}\n`);
  return result;
}
