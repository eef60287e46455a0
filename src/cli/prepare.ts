// What every scanning command does first: load config, key and detector, ignore file and baseline; report problems.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { readBaseline } from '../config/baseline.js';
import { resolveFingerprintKey } from '../config/fingerprint-key.js';
import { readIgnoreFiles } from '../config/ignore-file.js';
import { loadConfig, type Config } from '../config/load.js';
import { createDetector, type Detector } from '../detect/detector.js';
import { atLeast, CONFIDENCES } from '../detect/confidence.js';
import { suppressFindings } from '../detect/suppress.js';
import type { Confidence, ConfigProblem, Finding } from '../types.js';
import type { CliIO } from './command.js';

export interface ScanArgs {
  config?: string;
  baseline?: string;
  ignoreFile?: string;
  debug: boolean;
  minConfidence: Confidence;
}

/**
 * Adds --config, --baseline, --ignore-file, --min-confidence and --debug. `minConfidence` is the command's
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
    .option('baseline', { type: 'string', describe: 'An earlier JSON or SARIF report: report only findings that are not in it' })
    .option('ignore-file', { type: 'string', describe: 'File of fingerprints to ignore (default .spillwayignore and .gitleaksignore in the root)' })
    .option('debug', { type: 'boolean', default: false, describe: 'Explain what is loaded and skipped on stderr (never secrets)' });
}

export interface PreparedScan {
  config: Config;
  detector: Detector;
  fingerprintKey: Buffer;
  /** Drops findings below --min-confidence, and those in the ignore file or the baseline. */
  suppress(findings: Finding[]): { findings: Finding[]; suppressed: number };
}

/** Loads everything a scan needs; prints every problem; undefined (exit 2) when any is an error. */
export async function prepareScan(args: ScanArgs, root: string, io: CliIO): Promise<PreparedScan | undefined> {
  const config = await loadConfig({ root, ...(args.config ? { configPath: resolve(io.cwd, args.config) } : {}) });
  const { key, source } = await resolveFingerprintKey(io.env);
  const { detector, problems } = createDetector(config, { fingerprintKey: key });
  const all: ConfigProblem[] = [...config.problems, ...problems];
  for (const p of all) io.stderr(`spillway: ${p.level === 'error' ? 'config error' : 'config warning'}: ${p.message}\n`);
  if (all.some((p) => p.level === 'error')) {
    io.stderr(`spillway: fix the configuration above (${all.filter((p) => p.level === 'error').length} errors)\n`);
    return undefined;
  }
  let ignore;
  let baseline;
  try {
    ignore = await readIgnoreFiles(root, args.ignoreFile ? resolve(io.cwd, args.ignoreFile) : undefined);
    baseline = args.baseline ? await readBaseline(resolve(io.cwd, args.baseline)) : undefined;
  } catch (err) {
    io.stderr(`spillway: ${(err as Error).message}\n`);
    return undefined;
  }
  if (args.debug) {
    io.stderr(`spillway: debug: ${config.rules.length} rules (version ${detector.version}); config files: ${config.files.join(', ') || 'built-in only'}\n`);
    io.stderr(`spillway: debug: fingerprint key from ${source}; ${ignore.fingerprints.size} ignore entries; baseline: ${baseline ? `${baseline.size} fingerprints` : 'none'}\n`);
  }
  return {
    config,
    detector,
    fingerprintKey: key,
    suppress: (findings) => suppressFindings(atLeast(findings, args.minConfidence), { ignore, ...(baseline ? { baseline } : {}) }),
  };
}
