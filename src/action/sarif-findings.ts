// Reads the findings of a spillway SARIF log back into flat rows for the job summary and annotations.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Severity } from '../types.js';

/** One finding as the action shows it: never the secret, only its redacted form. */
export interface FindingRow {
  ruleId: string;
  severity: Severity;
  /** Repository-relative POSIX path. */
  path: string;
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
  commit?: string;
  /** The provenance kind (`file`, `git`, `commit-message`, ...), when the report gives it. */
  kind?: string;
  /** The redacted secret as the report gave it (`ghp_Ab…(40 chars)`). */
  redacted: string;
  /** The rule's short description. */
  description: string;
  /** The result's message: the reporters' one-sentence account of the finding, secret redacted. */
  message: string;
}

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const LEVEL_SEVERITY: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

function severityOf(result: Result): Severity {
  const declared = result.properties?.['severity'];
  if (typeof declared === 'string' && (SEVERITIES as readonly string[]).includes(declared)) return declared as Severity;
  return LEVEL_SEVERITY[result.level ?? 'warning'] ?? 'medium';
}

/** The redacted value: found in the message by the shape `redact()` gives it, else built from the length alone. */
function redactedOf(result: Result): string {
  const length = result.properties?.['secretLength'];
  const text = result.message.text ?? '';
  const shaped = typeof length === 'number' ? new RegExp(`\\S{0,6}…\\(${length} chars\\)`) : /\S{0,6}…\(\d+ chars\)/;
  const found = shaped.exec(text);
  if (found) return found[0];
  return typeof length === 'number' ? `…(${length} chars)` : '(redacted)';
}

function pathOf(uri: string | undefined): string {
  if (!uri) return '';
  try {
    return decodeURIComponent(uri.replace(/^file:\/\//, ''));
  } catch {
    return uri;
  }
}

function provenanceOf(result: Result): { commit?: unknown; kind?: unknown } {
  const provenance = result.properties?.['provenance'];
  return provenance && typeof provenance === 'object' ? (provenance as { commit?: unknown; kind?: unknown }) : {};
}

function commitOf(result: Result): string | undefined {
  const fromFingerprint = result.partialFingerprints?.['commitSha'];
  if (fromFingerprint) return fromFingerprint;
  const { commit } = provenanceOf(result);
  return typeof commit === 'string' ? commit : undefined;
}

function rowOf(result: Result, rules: ReportingDescriptor[]): FindingRow {
  const physical = result.locations?.[0]?.physicalLocation;
  const region = physical?.region;
  const startLine = region?.startLine ?? 1;
  const ruleId = result.ruleId ?? (result.ruleIndex !== undefined ? rules[result.ruleIndex]?.id : undefined) ?? 'unknown';
  const rule = rules.find((candidate) => candidate.id === ruleId);
  const row: FindingRow = {
    ruleId,
    severity: severityOf(result),
    path: pathOf(physical?.artifactLocation?.uri),
    startLine,
    endLine: region?.endLine ?? startLine,
    redacted: redactedOf(result),
    description: rule?.shortDescription?.text ?? ruleId,
    message: result.message.text ?? '',
  };
  if (region?.startColumn !== undefined) row.startColumn = region.startColumn;
  if (region?.endColumn !== undefined) row.endColumn = region.endColumn;
  const commit = commitOf(result);
  if (commit) row.commit = commit;
  const { kind } = provenanceOf(result);
  if (typeof kind === 'string') row.kind = kind;
  return row;
}

/** Every result of every run in `log`, in report order. Throws a TypeError naming `file` when it is not SARIF. */
export function findingRows(text: string, file: string): FindingRow[] {
  let log: Log;
  try {
    log = JSON.parse(text) as Log;
  } catch (error) {
    throw new TypeError(`${file}: not JSON (${(error as Error).message})`);
  }
  if (!log || !Array.isArray(log.runs)) throw new TypeError(`${file}: not a SARIF log (no runs array)`);
  return log.runs.flatMap((run) => (run.results ?? []).map((result) => rowOf(result, run.tool.driver.rules ?? [])));
}
