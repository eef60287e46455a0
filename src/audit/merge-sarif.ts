// Merges SARIF logs: runs concatenated, a result already seen for the same repository dropped (by partialFingerprints).
import type { Log, Result, Run } from 'sarif';

/** Which repository a run is about: its version-control URI, else its source root. */
export function runRepository(run: Run): string {
  return run.versionControlProvenance?.[0]?.repositoryUri ?? run.originalUriBaseIds?.['%SRCROOT%']?.uri ?? '';
}

/** The dedup key of a result: its partialFingerprints in key order, else its rule and location. */
function resultKey(result: Result): string {
  const fingerprints = result.partialFingerprints ?? {};
  const keys = Object.keys(fingerprints).sort();
  if (keys.length > 0) return keys.map((key) => `${key}=${fingerprints[key]}`).join('\n');
  const region = result.locations?.[0]?.physicalLocation;
  return JSON.stringify([result.ruleId, region?.artifactLocation?.uri, region?.region?.startLine, region?.region?.startColumn]);
}

export interface MergeResult {
  log: Log;
  /** Results dropped as duplicates. */
  duplicates: number;
}

/**
 * One log holding every run of `logs` in order. A result whose partialFingerprints were already seen in a run for the
 * same repository is dropped (two shards or two re-runs reporting one leak); a run left with no results is kept,
 * since it records that the repository was audited.
 */
export function mergeSarif(logs: Log[]): MergeResult {
  const seen = new Set<string>();
  let duplicates = 0;
  const runs: Run[] = [];
  for (const log of logs) {
    for (const run of log.runs) {
      const repository = runRepository(run);
      const results = (run.results ?? []).filter((result) => {
        const key = `${repository}\n${resultKey(result)}`;
        if (seen.has(key)) {
          duplicates += 1;
          return false;
        }
        seen.add(key);
        return true;
      });
      runs.push({ ...run, results });
    }
  }
  const first = logs[0];
  const log: Log = { version: '2.1.0', runs };
  if (first?.$schema) log.$schema = first.$schema;
  return { log, duplicates };
}

/** Parses a SARIF log; a TypeError names `file` when the text is not one. */
export function parseSarif(text: string, file: string): Log {
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${file}: not JSON (${(error as Error).message})`);
  }
  const candidate = log as Partial<Log> | null;
  if (!candidate || candidate.version !== '2.1.0' || !Array.isArray(candidate.runs)) {
    throw new TypeError(`${file}: not a SARIF 2.1.0 log (version and runs expected)`);
  }
  return candidate as Log;
}
