// Picks the finding to remediate from a parsed report, by fingerprint or by index.
import type { ParsedReport, ReportedFinding } from '../report/parse.js';

/** The finding whose fingerprint is `ref`, or whose index is `ref` when `ref` is a number. Throws a clear Error otherwise. */
export function selectFinding(report: ParsedReport, ref: string, file: string): ReportedFinding {
  const byFingerprint = report.findings.find((f) => f.fingerprint === ref);
  if (byFingerprint) return byFingerprint;
  if (/^\d+$/.test(ref)) {
    const index = Number(ref);
    const byIndex = report.findings.find((f) => f.index === index);
    if (byIndex) return byIndex;
    throw new Error(`${file}: no finding with index ${index} (the report has ${report.findings.length})`);
  }
  throw new Error(`${file}: no finding with fingerprint ${ref}`);
}
