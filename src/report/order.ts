// The one order every report lists findings in, so that output is stable across runs and machines.
import type { Finding, Provenance, Severity } from '../types.js';

/** Severities from most to least severe: the order summaries list them in. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function commitOf(p: Provenance): string {
  return p.kind === 'git' || p.kind === 'commit-message' ? p.commit : '';
}

/** When a finding entered the repository (its commit's author date), as a number; undefined when not known. */
export function introducedAt(p: Provenance): number | undefined {
  if ((p.kind !== 'git' && p.kind !== 'commit-message') || !p.date) return undefined;
  const t = Date.parse(p.date);
  return Number.isNaN(t) ? undefined : t;
}

/** Newest commit date first, as `git log` (and so gitleaks and TruffleHog) list history; undated findings after dated ones. */
function compareDates(a: Provenance, b: Provenance): number {
  const x = introducedAt(a);
  const y = introducedAt(b);
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  return y - x;
}

/**
 * Findings sorted for every report. History findings come newest commit first (by the author date of the commit
 * that introduced them, as `git log` lists commits); then, as for every other finding, by path, startLine,
 * startColumn, ruleId (code-unit order, independent of locale); ties (the same spot in several commits) are broken
 * by commit, then fingerprint. Returns a new array.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareDates(a.provenance, b.provenance) ||
      compareText(a.location.path, b.location.path) ||
      a.location.startLine - b.location.startLine ||
      a.location.startColumn - b.location.startColumn ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(commitOf(a.provenance), commitOf(b.provenance)) ||
      compareText(a.fingerprint, b.fingerprint),
  );
}

/** How many findings of each severity, most severe first, only the severities present. */
export function countBySeverity(findings: readonly Finding[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const severity of SEVERITIES) {
    const n = findings.filter((f) => f.severity === severity).length;
    if (n > 0) counts[severity] = n;
  }
  return counts;
}

/** "2 high, 1 medium": the severity counts as words, most severe first. */
export function severityWords(findings: readonly Finding[]): string {
  return Object.entries(countBySeverity(findings))
    .map(([severity, n]) => `${n} ${severity}`)
    .join(', ');
}

/** `n` with the noun, plural when n is not 1 ("1 finding", "3 files"). */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
