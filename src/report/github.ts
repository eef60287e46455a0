// GitHub Actions renderings: a markdown job summary and `::error ...::` workflow-command annotations.
import type { Finding, Provenance, ReportContext, ScanNote, Severity } from '../types.js';
import { markdownText, workflowCommand as command } from './escape.js';
import { findingMessage } from './message.js';
import { plural, severityWords, sortFindings } from './order.js';
import { shortId } from './provenance-label.js';

/** Rows beyond this are summarised in one line: GitHub caps a step summary at 1 MiB. */
export const JOB_SUMMARY_MAX_ROWS = 500;

const ANNOTATION_LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/** A markdown table cell: one line of escaped text (see markdownText). */
export function markdownCell(text: string): string {
  return markdownText(text);
}

function commitCell(p: Provenance): string {
  if (p.kind === 'git' || p.kind === 'commit-message') return shortId(p.commit);
  if (p.kind === 'image' && p.layer) return `layer ${shortId(p.layer)}`;
  return '';
}

function lineCell(f: Finding): string {
  const { startLine, endLine } = f.location;
  return endLine > startLine ? `${startLine}–${endLine}` : `${startLine}`;
}

function noteItem(note: ScanNote): string {
  const input = note.input === '' ? '' : `${note.input}: `;
  return `- ${note.level}: ${markdownCell(`${input}${note.message}`)}`;
}

/**
 * Markdown for `$GITHUB_STEP_SUMMARY`: a heading with the counts, then a table (rule, file, line, commit,
 * redacted value) or "No secrets found.", then the scan's notes. Every cell is escaped.
 */
export function renderJobSummary(findings: Finding[], ctx: ReportContext): string {
  const sorted = sortFindings(findings);
  const out: string[] = [];
  if (sorted.length === 0) {
    out.push('### spillway: no secrets found', '', 'No secrets found.');
  } else {
    out.push(`### spillway: ${plural(sorted.length, 'secret')} found (${severityWords(sorted)})`, '');
    out.push('| Rule | File | Line | Commit | Secret |', '| --- | --- | ---: | --- | --- |');
    for (const f of sorted.slice(0, JOB_SUMMARY_MAX_ROWS)) {
      const cells = [f.ruleId, f.location.path, lineCell(f), commitCell(f.provenance), f.secret.display(ctx.showSecrets)];
      out.push(`| ${cells.map(markdownCell).join(' | ')} |`);
    }
    if (sorted.length > JOB_SUMMARY_MAX_ROWS) {
      out.push('', `…and ${sorted.length - JOB_SUMMARY_MAX_ROWS} more: see the full report.`);
    }
  }
  if (ctx.notes.length > 0) out.push('', '**Notes**', '', ...ctx.notes.map(noteItem));
  return `${out.join('\n')}\n`;
}

/** Files in the checkout: annotations point at them. Commit messages, image layers and CI logs are not. */
function inCheckout(p: Provenance): boolean {
  return p.kind === 'file' || p.kind === 'staged' || p.kind === 'git';
}

function annotation(f: Finding, ctx: ReportContext): string {
  const { location } = f;
  const oneLine = location.startLine === location.endLine;
  const properties: [string, string | number | undefined][] = inCheckout(f.provenance)
    ? [
        ['file', location.path],
        ['line', location.startLine],
        ['endLine', location.endLine],
        // GitHub rejects columns on an annotation that spans several lines.
        ['col', oneLine ? location.startColumn : undefined],
        ['endColumn', oneLine ? location.endColumn : undefined],
      ]
    : [];
  properties.push(['title', `spillway: ${f.ruleId}`]);
  const where = inCheckout(f.provenance) ? '' : ` At ${location.path}:${location.startLine}.`;
  return command(ANNOTATION_LEVEL[f.severity], properties, `${findingMessage(f, ctx.showSecrets)}${where}`);
}

/**
 * Workflow commands, one a line: an annotation per finding (error for critical/high, warning for medium,
 * notice for low/info) pointing at the file, and one per error or warning note. Secrets redacted unless asked.
 */
export function renderAnnotations(findings: Finding[], ctx: ReportContext): string {
  const lines = sortFindings(findings).map((f) => annotation(f, ctx));
  for (const note of ctx.notes) {
    if (note.level === 'info') continue;
    const input = note.input === '' ? '' : `${note.input}: `;
    lines.push(command(note.level, [['title', 'spillway']], `${input}${note.message}`));
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
