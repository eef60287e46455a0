// The audit's summary table (text, for stderr): one line per repository, then the totals.
import type { AuditOutcome } from './audit.js';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** A plain-text table: repository, status, findings, seconds or the error; then a totals line. */
export function renderAuditTable(outcome: AuditOutcome): string {
  const rows = outcome.repos.map(({ repo, state, resumed }) =>
    state.status === 'done'
      ? [repo, resumed ? 'resumed' : 'ok', String(state.findings), `${state.seconds.toFixed(1)}s`]
      : [repo, 'FAILED', '-', state.error],
  );
  const header = ['repository', 'status', 'findings', 'time / error'];
  const widths = [0, 1, 2].map((column) => Math.max(header[column]!.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]): string => row.map((cell, column) => (column < 3 ? pad(cell, widths[column]!) : cell)).join('  ').trimEnd();
  const audited = outcome.repos.length - outcome.failed;
  const totals = `${outcome.repos.length} repositories: ${audited} audited, ${outcome.failed} failed, ${outcome.findings} finding(s)`;
  return [line(header), ...rows.map(line), totals].join('\n') + '\n';
}
