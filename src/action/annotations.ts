// Workflow commands that annotate files with findings (`::error file=...,line=...::`); never the secret.
import { escapeCommandData, escapeCommandProperty } from '../report/github.js';
import type { Severity } from '../types.js';
import type { FindingRow } from './sarif-findings.js';

/** GitHub shows at most 10 errors and 10 warnings per step, 50 annotations per job: we emit no more than this. */
export const MAX_ANNOTATIONS = 50;

const COMMAND: Record<Severity, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };

/** A workflow command line: `::name key=value,...::message`, escaped as GitHub requires. */
export function workflowCommand(name: string, properties: [string, string | number | undefined][], message: string): string {
  const props = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeCommandProperty(String(value))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeCommandData(message)}`;
}

/** Files in the checkout get file and line; commit messages, image layers and CI logs do not (as the reporters do). */
const IN_CHECKOUT = new Set(['file', 'staged', 'git']);

function annotation(row: FindingRow): string {
  const oneLine = row.endLine === row.startLine;
  const inCheckout = row.kind === undefined || IN_CHECKOUT.has(row.kind);
  const message = `${row.message || `${row.description}: ${row.redacted}.`}${inCheckout ? '' : ` At ${row.path}:${row.startLine}.`}`;
  const where: [string, string | number | undefined][] = inCheckout
    ? [
        ['file', row.path],
        ['line', row.startLine],
        ['endLine', row.endLine],
        // GitHub rejects columns on an annotation that spans several lines.
        ['col', oneLine ? row.startColumn : undefined],
        ['endColumn', oneLine ? row.endColumn : undefined],
      ]
    : [];
  return workflowCommand(COMMAND[row.severity], [...where, ['title', `spillway: ${row.ruleId}`]], message);
}

/**
 * One workflow command per finding (at most MAX_ANNOTATIONS), the message being the SARIF result's (the reporters'
 * redacted account of the finding), then a notice when some were left out.
 */
export function renderAnnotations(rows: FindingRow[]): string[] {
  const lines = rows.slice(0, MAX_ANNOTATIONS).map(annotation);
  if (rows.length > MAX_ANNOTATIONS) {
    lines.push(workflowCommand('notice', [['title', 'spillway']], `${rows.length - MAX_ANNOTATIONS} more findings are in the job summary and the SARIF report.`));
  }
  return lines;
}
