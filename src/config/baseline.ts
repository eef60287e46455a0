// Reads an earlier report for --baseline: a spillway JSON report, a SARIF log, or a gitleaks JSON report.
import { readFile } from 'node:fs/promises';
import type { IgnoreList } from '../detect/suppress.js';
import { jsonErrorWhere, parseReport } from '../report/parse.js';
import { gitleaksLocations } from './gitleaks-report.js';

/** Fingerprints (spillway, SARIF) or locations (gitleaks) of the findings already known. */
export interface Baseline extends IgnoreList {
  /** Id of the fingerprint key the report was made with, when it records one. */
  keyId?: string;
}

/** Reads the baseline; throws with the file named when it is none of the formats. `root`: the scan root. */
export async function readBaseline(file: string, root: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  // A gitleaks report is a JSON array of findings; spillway's reports are objects.
  if (text.trimStart().startsWith('[')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not valid JSON${jsonErrorWhere(err, text)}`);
    }
    return { fingerprints: new Set(), locations: gitleaksLocations(doc as unknown[], file, root) };
  }
  const report = parseReport(text, file);
  const fingerprints = new Set(report.findings.map((f) => f.fingerprint));
  return { fingerprints, locations: [], ...(report.fingerprintKeyId === undefined ? {} : { keyId: report.fingerprintKeyId }) };
}

/** A warning when the baseline was made with another fingerprint key than the scan's (its entries match nothing). */
export function baselineKeyWarning(file: string, baseline: Baseline, keyId: string): string | undefined {
  if (baseline.keyId === undefined || baseline.keyId === keyId || baseline.fingerprints.size === 0) return undefined;
  return (
    `baseline ${file} was made with another fingerprint key (id ${baseline.keyId}; this scan's is ${keyId}): none of its findings can match. ` +
    'Make it again here, or use the same key (the repository root commit by default, or SPILLWAY_FINGERPRINT_KEY)'
  );
}
