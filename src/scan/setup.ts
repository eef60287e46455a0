// What every scan needs before it reads anything: rules, fingerprint key, detector, ignore file and baseline.
import { baselineKeyWarning, readBaseline } from '../config/baseline.js';
import { resolveFingerprintKey } from '../config/fingerprint-key.js';
import { readIgnoreFiles } from '../config/ignore-file.js';
import { loadConfig, type Config } from '../config/load.js';
import { createDetector, type Detector } from '../detect/detector.js';
import { atLeast } from '../detect/confidence.js';
import { suppressFindings } from '../detect/suppress.js';
import type { Confidence, ConfigProblem, Finding } from '../types.js';

export interface SetupOptions {
  /** Scan root: its `.spillway.toml` / `.gitleaks.toml` and ignore files apply. */
  root: string;
  /** A rule file (absolute, or relative to `root`) instead of the root's own. */
  configPath?: string;
  /** An earlier JSON or SARIF report (absolute path): findings in it are not reported again. */
  baselinePath?: string;
  /** A file of fingerprints to ignore (absolute path) instead of the root's `.spillwayignore` / `.gitleaksignore`. */
  ignoreFilePath?: string;
  /** Where SPILLWAY_FINGERPRINT_KEY and SPILLWAY_PER_USER_FINGERPRINTS are read from. */
  env: Record<string, string | undefined>;
  /** Fingerprints with the user's own key even inside a repository (default: the repository's key). */
  perUserFingerprints?: boolean;
  /** Findings below this confidence are not reported (default: all). */
  minConfidence?: Confidence;
}

export interface ScanSetup {
  config: Config;
  detector: Detector;
  fingerprintKey: Buffer;
  /** Id of the fingerprint key, which reports record. */
  fingerprintKeyId: string;
  /** Configuration warnings (errors throw a ScanSetupError). */
  problems: ConfigProblem[];
  /** What was loaded, for --debug (never secrets). */
  debug: string[];
  /** Drops findings in the ignore file or the baseline. */
  suppress(findings: Finding[]): { findings: Finding[]; suppressed: number };
}

/** The configuration has errors, or the ignore file or baseline cannot be read: nothing was scanned. */
export class ScanSetupError extends Error {
  constructor(
    message: string,
    readonly problems: ConfigProblem[],
  ) {
    super(message);
    this.name = 'ScanSetupError';
  }
}

/** Each problem once: the same file can be reached twice (a rule file extended by two others). */
function uniqueProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.level}\0${p.file ?? ''}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Loads everything a scan needs; throws a ScanSetupError naming every configuration error. */
export async function setUpScan(opts: SetupOptions): Promise<ScanSetup> {
  // Together: the key's git calls run while the rules load.
  const [config, { key, source, id, warning }] = await Promise.all([
    loadConfig({ root: opts.root, ...(opts.configPath ? { configPath: opts.configPath } : {}) }),
    resolveFingerprintKey(opts.env, { root: opts.root, ...(opts.perUserFingerprints ? { perUser: true } : {}) }),
  ]);
  const { detector, problems } = createDetector(config, { fingerprintKey: key });
  const all: ConfigProblem[] = uniqueProblems([...config.problems, ...problems]);
  if (warning) all.push({ level: 'warning', subject: 'fingerprint key', message: warning });
  const errors = all.filter((p) => p.level === 'error');
  if (errors.length) throw new ScanSetupError(`fix the configuration above (${errors.length} ${errors.length === 1 ? 'error' : 'errors'})`, all);
  let ignore;
  let baseline;
  try {
    ignore = await readIgnoreFiles(opts.root, opts.ignoreFilePath);
    baseline = opts.baselinePath ? await readBaseline(opts.baselinePath, opts.root) : undefined;
  } catch (err) {
    throw new ScanSetupError((err as Error).message, all);
  }
  const mismatch = baseline && baselineKeyWarning(opts.baselinePath!, baseline, id);
  if (mismatch) all.push({ level: 'warning', subject: 'baseline', message: mismatch });
  const debug = [
    `${config.rules.length} rules (version ${detector.version}); config files: ${config.files.join(', ') || 'built-in only'}`,
    `fingerprint key from ${source} (id ${id}); ${ignore.fingerprints.size} ignore entries; baseline: ${baseline ? `${baseline.fingerprints.size} fingerprints, ${baseline.locations.length} gitleaks locations` : 'none'}`,
  ];
  return {
    config,
    detector,
    fingerprintKey: key,
    fingerprintKeyId: id,
    problems: all,
    debug,
    suppress: (findings) => suppressFindings(atLeast(findings, opts.minConfidence ?? 'low'), { ignore, ...(baseline ? { baseline } : {}) }),
  };
}
