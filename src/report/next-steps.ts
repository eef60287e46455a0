// The history report's "what to do next": one entry per secret, saying where it is, where it came from, what to run.
import type { Finding, Provenance, ReportContext } from '../types.js';
import { introducedAt, plural } from './order.js';
import { terminal } from './escape.js';
import { shortId } from './provenance-label.js';

type GitLike = Extract<Provenance, { kind: 'git' | 'commit-message' }>;

/** At most this many paths are listed per secret. */
const MAX_PLACES = 5;

/** The report name the remediation commands refer to. */
export const HISTORY_REPORT_FILE = 'history.json';

interface SecretGroup {
  findings: Finding[];
  /** The finding of the oldest introduction: remediation starts from it. */
  first: Finding;
}

const gitLike = (p: Provenance): GitLike | undefined => (p.kind === 'git' || p.kind === 'commit-message' ? p : undefined);

/** Findings of one secret value together, in the order the report lists them (newest introduction first). */
function bySecret(sorted: readonly Finding[]): SecretGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const f of sorted) {
    if (!gitLike(f.provenance)) continue;
    // The value is only a grouping key here: it never leaves this function.
    const key = f.secret.reveal();
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()].map((findings) => ({
    findings,
    first: findings.reduce((a, b) => ((introducedAt(b.provenance) ?? Infinity) < (introducedAt(a.provenance) ?? Infinity) ? b : a)),
  }));
}

/** `Alice Example (@example.com)`: who to ask, without the full address of a person. */
function who(p: GitLike): string | undefined {
  const domain = p.email?.includes('@') ? `(@${p.email.slice(p.email.lastIndexOf('@') + 1)})` : undefined;
  const parts = [p.author, domain].filter((x): x is string => Boolean(x));
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function introduced(f: Finding): string {
  const p = gitLike(f.provenance)!;
  if (!p.commit) return 'Introduced: no commit found for it (reachable only through a tag or note?)';
  const where = p.kind === 'commit-message' ? `in the message of commit ${shortId(p.commit)}` : `in commit ${shortId(p.commit)} (${p.path})`;
  const date = p.date ? ` on ${p.date.slice(0, 10)}` : '';
  const author = who(p);
  return `Introduced ${where}${date}${author ? ` by ${author}` : ''}`;
}

/** Every path holding the secret, with the commits that put it there. */
function places(findings: readonly Finding[]): string {
  const commits = new Map<string, Set<string>>();
  const add = (path: string, commit: string): void => {
    const set = commits.get(path) ?? new Set<string>();
    if (commit) set.add(shortId(commit));
    commits.set(path, set);
  };
  for (const f of findings) {
    const p = gitLike(f.provenance)!;
    add(p.kind === 'commit-message' ? `message of ${shortId(p.commit)}` : p.path, p.kind === 'commit-message' ? '' : p.commit);
    if (p.kind === 'git') for (const other of p.alsoIn ?? []) add(other.path, other.commit);
  }
  const all = [...commits].map(([path, set]) => (set.size > 0 ? `${path} (${[...set].join(', ')})` : path));
  const shown = all.slice(0, MAX_PLACES).join(', ');
  return `Found in ${plural(all.length, 'place')}: ${shown}${all.length > MAX_PLACES ? `, and ${all.length - MAX_PLACES} more` : ''}`;
}

function headLine(findings: readonly Finding[]): string | undefined {
  if (findings.every((f) => f.provenance.kind === 'commit-message')) return 'In a commit message, which stays in history: rotate it, then purge it from history.';
  const marks = findings.map((f) => (f.provenance.kind === 'git' ? f.provenance.presentAtHead : undefined)).filter((m) => m !== undefined);
  if (marks.length === 0) return undefined;
  if (marks.includes(true)) return 'Still at HEAD: remove it from the code (read it from a secret store), rotate it, then purge it from history.';
  return 'No longer at HEAD, but still in history: anyone with a clone can read it. Rotate it, then purge it from history.';
}

/** `word` as one shell word: fingerprints hold the path, which may hold spaces or quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The "What to do next" block of a history report: per secret (newest introduction first) whether it is still at
 * HEAD, where it was introduced (commit, date, author without the full email address), every path and commit
 * holding it, and the remediation command for its oldest finding. Empty when no finding comes from git history.
 */
export function nextSteps(sorted: readonly Finding[], ctx: ReportContext): string[] {
  const groups = bySecret(sorted);
  if (groups.length === 0) return [];
  const lines = [`What to do next (${plural(groups.length, 'secret')}; save this audit as JSON with --format json -o ${HISTORY_REPORT_FILE} to run the commands):`];
  groups.forEach(({ findings, first }, i) => {
    const label = `${i + 1}. ${first.ruleId} ${first.secret.display(ctx.showSecrets)} (${first.severity})`;
    const head = headLine(findings);
    lines.push(`  ${terminal(label)}`);
    for (const line of [head, introduced(first), places(findings)]) if (line !== undefined) lines.push(`     ${terminal(line)}`);
    lines.push(`     Run: spillway remediate --report ${HISTORY_REPORT_FILE} --finding ${terminal(shellWord(first.fingerprint))}`);
  });
  return lines;
}
