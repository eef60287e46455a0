// Text report for people: findings grouped by file (or commit, image layer, CI job), a summary, what to do next (history), then notes.
import type { Finding, Provenance, ReportContext, ScanNote } from '../types.js';
import { plural, severityWords, sortFindings } from './order.js';
import { terminal } from './escape.js';
import { nextSteps } from './next-steps.js';
import { authorLine, shortId } from './provenance-label.js';
import { redactText, snippetOf } from './redaction.js';

const RESET = '\x1b[0m';
const STYLE = {
  heading: '\x1b[1m',
  secret: '\x1b[35m',
  dim: '\x1b[2m',
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
  error: '\x1b[31m',
  warning: '\x1b[33m',
} as const;

type Paint = (style: keyof typeof STYLE, text: string) => string;

interface Group {
  heading: string;
  /** Entries name their path (groups that are not one file). */
  showPath: boolean;
  findings: Finding[];
}

/** The group a finding is listed under: its file, or its commit, image layer or CI job. */
function groupOf(p: Provenance): { key: string; heading: string; showPath: boolean } {
  switch (p.kind) {
    case 'file':
      return { key: `file\0${p.path}`, heading: p.path, showPath: false };
    case 'staged':
      return { key: `staged\0${p.path}`, heading: `${p.path} (staged)`, showPath: false };
    case 'git':
    case 'commit-message': {
      const author = authorLine(p);
      return { key: `commit\0${p.commit}`, heading: `commit ${p.commit}${author ? `  ${author}` : ''}`, showPath: true };
    }
    case 'image': {
      const layer = p.layer ? ` layer ${shortId(p.layer)}` : '';
      return { key: `image\0${p.image}\0${p.layer ?? ''}`, heading: `image ${p.image}${layer}`, showPath: true };
    }
    case 'ci-log': {
      const parts = [p.run && `run ${p.run}`, p.job && `job ${p.job}`].filter(Boolean).join(' ');
      return { key: `ci\0${p.run ?? ''}\0${p.job ?? ''}`, heading: `CI log${parts ? ` ${parts}` : ''}`, showPath: true };
    }
  }
}

function groups(sorted: Finding[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const finding of sorted) {
    const { key, heading, showPath } = groupOf(finding.provenance);
    const group = byKey.get(key) ?? { heading, showPath, findings: [] };
    group.findings.push(finding);
    byKey.set(key, group);
  }
  return [...byKey.values()];
}

/** The parenthesised details of a finding: confidence below high, identifier, place, decoding, validation, where else it lives. */
function details(f: Finding): string[] {
  const p = f.provenance;
  return [
    f.confidence !== 'high' ? `${f.confidence} confidence` : undefined,
    f.identifier !== undefined ? `identifier ${f.identifier}` : undefined,
    f.place !== undefined ? `place ${f.place}` : undefined,
    f.decodedFrom !== undefined ? `decoded from ${f.decodedFrom}` : undefined,
    f.validation !== undefined ? f.validation : undefined,
    p.kind === 'commit-message' ? 'in the commit message' : undefined,
    p.kind === 'git' && p.alsoIn && p.alsoIn.length > 0 ? `also in ${plural(p.alsoIn.length, 'other place')}` : undefined,
    p.kind === 'image' && p.deletedLater ? 'deleted in a later layer, still in the image' : undefined,
    p.kind === 'ci-log' && p.step !== undefined ? `step ${p.step}` : undefined,
  ].filter((d): d is string => d !== undefined);
}

function renderGroup(group: Group, ctx: ReportContext, paint: Paint): string[] {
  const where = (f: Finding): string =>
    `${group.showPath ? `${terminal(f.location.path)}:` : ''}${f.location.startLine}:${f.location.startColumn}`;
  // A reduce, not Math.max(...): a group can hold more findings than a call takes arguments.
  const whereWidth = group.findings.reduce((w, f) => Math.max(w, where(f).length), 0);
  const ruleWidth = group.findings.reduce((w, f) => Math.max(w, f.ruleId.length), 0);
  const lines = [paint('heading', terminal(group.heading))];
  for (const f of group.findings) {
    const extra = details(f);
    const suffix = extra.length > 0 ? `  (${terminal(extra.join(', '))})` : '';
    const severity = paint(f.severity, f.severity.padEnd(8));
    const secret = paint('secret', terminal(f.secret.display(ctx.showSecrets)));
    lines.push(`  ${where(f).padEnd(whereWidth)}  ${severity}  ${terminal(f.ruleId).padEnd(ruleWidth)}  ${secret}${suffix}`);
    const snippet = snippetOf(f, ctx.showSecrets);
    for (const line of snippet === '' ? [] : terminal(snippet.replace(/\r\n/g, '\n'), true).split('\n')) {
      lines.push(paint('dim', `      ${line}`));
    }
    if (f.message !== undefined) lines.push(`      ${terminal(redactText(f.message, f, ctx.showSecrets))}`);
  }
  return lines;
}

function summary(sorted: Finding[]): string {
  if (sorted.length === 0) return 'No secrets found.';
  const files = new Set(sorted.map((f) => f.location.path)).size;
  return `${plural(sorted.length, 'finding')} in ${plural(files, 'file')} (${severityWords(sorted)})`;
}

function renderNote(note: ScanNote, paint: Paint): string {
  const level = note.level === 'info' ? note.level : paint(note.level, note.level);
  const input = note.input === '' ? '' : `${terminal(note.input)}: `;
  return `  ${level}: ${input}${terminal(note.message)}`;
}

/** The `text` reporter: readable, grouped, ANSI-coloured only when `ctx.color`; secrets redacted unless asked. */
export function renderText(findings: Finding[], ctx: ReportContext): string {
  const paint: Paint = (style, text) => (ctx.color ? `${STYLE[style]}${text}${RESET}` : text);
  const sorted = sortFindings(findings);
  const blocks = groups(sorted).map((g) => renderGroup(g, ctx, paint).join('\n'));
  blocks.push(paint('heading', summary(sorted)));
  const steps = nextSteps(sorted, ctx);
  if (steps.length > 0) blocks.push([paint('heading', steps[0]!), ...steps.slice(1)].join('\n'));
  if (ctx.notes.length > 0) blocks.push(['Notes:', ...ctx.notes.map((n) => renderNote(n, paint))].join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

