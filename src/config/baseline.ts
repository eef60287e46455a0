// Reads the fingerprints of an earlier report (JSON or SARIF) for --baseline.
import { readFile } from 'node:fs/promises';
import { parseReport } from '../report/parse.js';

/** Fingerprints in a spillway JSON report or SARIF log; throws with the file named when it is neither. */
export async function readBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  return new Set(parseReport(text, file).findings.map((f) => f.fingerprint));
}
