// Filters applied after detection: the ignore file and the baseline of an earlier report.
import type { Finding } from '../types.js';

/** Ignore entries: our fingerprints, and gitleaks-style locations. */
export interface IgnoreList {
  fingerprints: Set<string>;
  locations: { commit?: string; path: string; ruleId: string; line: number }[];
}

export interface SuppressOptions {
  ignore?: IgnoreList;
  /** Fingerprints (or gitleaks locations) of an earlier report: findings already there are not reported again. */
  baseline?: Set<string> | IgnoreList;
}

/** Findings that are neither ignored nor in the baseline, and how many were dropped. */
export function suppressFindings(findings: Finding[], opts: SuppressOptions): { findings: Finding[]; suppressed: number } {
  const baseline = opts.baseline instanceof Set ? { fingerprints: opts.baseline, locations: [] } : opts.baseline;
  const kept = findings.filter((f) => !isIgnored(f, opts.ignore) && !isIgnored(f, baseline));
  return { findings: kept, suppressed: findings.length - kept.length };
}

function isIgnored(f: Finding, ignore: IgnoreList | undefined): boolean {
  if (!ignore) return false;
  if (ignore.fingerprints.has(f.fingerprint)) return true;
  const commit = 'commit' in f.provenance ? f.provenance.commit : undefined;
  return ignore.locations.some(
    (l) => l.ruleId === f.ruleId && l.path === f.location.path && l.line === f.location.startLine && (l.commit === undefined || l.commit === commit),
  );
}
