// Reads the fingerprints of an earlier report (JSON or SARIF) for --baseline.
import { readFile } from 'node:fs/promises';

/** Fingerprints in a spillway JSON report or SARIF log; throws with the file named when it is neither. */
export async function readBaseline(file: string): Promise<Set<string>> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read baseline ${file}: ${(err as Error).message}`);
  }
  const fingerprints = new Set<string>();
  const d = doc as { findings?: { fingerprint?: unknown }[]; runs?: { results?: { partialFingerprints?: Record<string, unknown> }[] }[] };
  if (Array.isArray(d.findings)) {
    for (const f of d.findings) if (typeof f.fingerprint === 'string') fingerprints.add(f.fingerprint);
  } else if (Array.isArray(d.runs)) {
    for (const run of d.runs) {
      for (const r of run.results ?? []) {
        const fp = r.partialFingerprints?.['spillway/v1'];
        if (typeof fp === 'string') fingerprints.add(fp);
      }
    }
  } else {
    throw new Error(`baseline ${file} is neither a spillway JSON report nor a SARIF log`);
  }
  return fingerprints;
}
