// Reads the fingerprints of an earlier report (JSON or SARIF) for --baseline.
import { readFile } from 'node:fs/promises';
import { parseReport } from '../report/parse.js';

export interface Baseline {
  fingerprints: Set<string>;
  /** Id of the fingerprint key the report was made with, when it records one. */
  keyId?: string;
}

/** Fingerprints in a spillway JSON report or SARIF log; throws with the file named when it is neither. */
export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  const report = parseReport(text, file);
  const fingerprints = new Set(report.findings.map((f) => f.fingerprint));
  return report.fingerprintKeyId === undefined ? { fingerprints } : { fingerprints, keyId: report.fingerprintKeyId };
}

/** A warning when the baseline was made with another fingerprint key than the scan's (its entries match nothing). */
export function baselineKeyWarning(file: string, baseline: Baseline, keyId: string): string | undefined {
  if (baseline.keyId === undefined || baseline.keyId === keyId || baseline.fingerprints.size === 0) return undefined;
  return (
    `baseline ${file} was made with another fingerprint key (id ${baseline.keyId}; this scan's is ${keyId}): none of its findings can match. ` +
    'Make it again here, or use the same key (the repository root commit by default, or SPILLWAY_FINGERPRINT_KEY)'
  );
}
