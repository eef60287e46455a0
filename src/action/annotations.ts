// Workflow commands that annotate files with findings (`::error file=...,line=...::`); never the secret.
import type { Severity } from '../types.js';
import type { FindingRow } from './sarif-findings.js';

/** GitHub shows at most 10 errors and 10 warnings per step, 50 per job: we emit no more than this. */
export const MAX_ANNOTATIONS = 50;

const COMMAND: Record<Severity, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };

/** Escapes a command's message as @actions/core does. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property value as @actions/core does. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(row: FindingRow): string {
  const props: [string, string | number | undefined][] = [
    ['file', row.path],
    ['line', row.startLine],
    ['endLine', row.endLine],
    ['col', row.endLine === row.startLine ? row.startColumn : undefined],
    ['endColumn', row.endLine === row.startLine ? row.endColumn : undefined],
    ['title', `spillway ${row.ruleId}`],
  ];
  const properties = props
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  const where = row.commit ? ` (added in commit ${row.commit.slice(0, 7)})` : '';
  const message = `${row.description}: ${row.redacted}${where}. Rotate it, then remove it.`;
  return `::${COMMAND[row.severity]} ${properties}::${escapeData(message)}`;
}

/** One workflow command per finding (at most MAX_ANNOTATIONS), then a notice when some were left out. */
export function renderAnnotations(rows: FindingRow[]): string[] {
  const lines = rows.slice(0, MAX_ANNOTATIONS).map(annotation);
  if (rows.length > MAX_ANNOTATIONS) {
    lines.push(`::notice title=spillway::${escapeData(`${rows.length - MAX_ANNOTATIONS} more findings are in the job summary and the SARIF report.`)}`);
  }
  return lines;
}
