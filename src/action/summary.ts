// The job summary: a markdown table of findings for $GITHUB_STEP_SUMMARY, with redacted values only.
import type { FindingRow } from './sarif-findings.js';

/** Rows shown before the table is cut short (a job summary may hold at most 1 MiB). */
export const SUMMARY_MAX_ROWS = 500;

/** Escapes a table cell: pipes split cells, backticks end code spans, newlines end rows. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function code(text: string): string {
  const inner = cell(text);
  const fence = inner.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${inner}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** Markdown for the job summary: a heading with the count, what was scanned, then rule/file/line/commit/value. */
export function renderSummary(rows: FindingRow[], scope: string): string {
  const lines = [`## spillway: ${rows.length === 0 ? 'no secrets found' : `${rows.length} secret${rows.length === 1 ? '' : 's'} found`}`, '', `Scanned: ${cell(scope)}`, ''];
  if (rows.length === 0) return lines.join('\n') + '\n';
  lines.push('| Rule | File | Line | Commit | Value |', '| --- | --- | --- | --- | --- |');
  for (const row of rows.slice(0, SUMMARY_MAX_ROWS)) {
    const commit = row.commit ? code(row.commit.slice(0, 7)) : '';
    lines.push(`| ${code(row.ruleId)} | ${code(row.path)} | ${row.startLine} | ${commit} | ${code(row.redacted)} |`);
  }
  if (rows.length > SUMMARY_MAX_ROWS) lines.push('', `…and ${rows.length - SUMMARY_MAX_ROWS} more (see the SARIF report).`);
  lines.push('', 'A secret that reached a commit must be rotated: deleting it does not remove it from history.');
  return lines.join('\n') + '\n';
}
