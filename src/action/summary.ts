// The job summary of the action: the reporters' table layout (rule, file, line, commit, redacted value) from SARIF rows.
import { JOB_SUMMARY_MAX_ROWS, markdownCell } from '../report/github.js';
import { plural } from '../report/order.js';
import { shortId } from '../report/provenance-label.js';
import type { FindingRow } from './sarif-findings.js';

/**
 * Markdown for $GITHUB_STEP_SUMMARY. The scan ran in a child process, so the action has the SARIF rows, not the
 * Finding objects `renderJobSummary` takes; it renders the same table with the same escaping from the rows.
 */
export function renderSummary(rows: FindingRow[], scope: string): string {
  const out: string[] = [];
  if (rows.length === 0) {
    out.push('### spillway: no secrets found', '', `Scanned: ${markdownCell(scope)}.`);
    return `${out.join('\n')}\n`;
  }
  out.push(`### spillway: ${plural(rows.length, 'secret')} found`, '', `Scanned: ${markdownCell(scope)}.`, '');
  out.push('| Rule | File | Line | Commit | Secret |', '| --- | --- | ---: | --- | --- |');
  for (const row of rows.slice(0, JOB_SUMMARY_MAX_ROWS)) {
    const line = row.endLine > row.startLine ? `${row.startLine}–${row.endLine}` : `${row.startLine}`;
    const cells = [row.ruleId, row.path, line, row.commit ? shortId(row.commit) : '', row.redacted];
    out.push(`| ${cells.map(markdownCell).join(' | ')} |`);
  }
  if (rows.length > JOB_SUMMARY_MAX_ROWS) out.push('', `…and ${rows.length - JOB_SUMMARY_MAX_ROWS} more: see the SARIF report.`);
  out.push('', 'A secret that reached a commit must be rotated: deleting it does not remove it from history.');
  return `${out.join('\n')}\n`;
}
