// --audit-log FILE: who read the leaked path during the leak window, from a Vault file audit device (JSON lines), streamed.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { markdownCell } from '../report/github.js';
import { terminal } from '../report/escape.js';

/** The step name in the journal. */
export const AUDIT_STEP = 'audit';

/** One client identity that read the path: never its token, accessor or any HMAC'd field. */
export interface AuditReader {
  entityId: string;
  displayName: string;
  remoteAddress: string;
  first: string;
  last: string;
  /** Successful reads. */
  reads: number;
  /** Reads Vault refused (permission denied and other errors). */
  denied: number;
}

/** The summary of an audit log for one path and window (serialisable: the journal stores it). */
export interface AuditSummary {
  file: string;
  /** `<mount>/data/<path>`, as the audit log records it. */
  path: string;
  namespace?: string;
  since?: string;
  until: string;
  readers: AuditReader[];
  /** Lines that are not JSON audit entries (torn, truncated, another format). */
  malformed: number;
  /** Entries read in all. */
  entries: number;
}

export interface AuditQuery {
  file: string;
  /** The KV v2 data path, `<mount>/data/<path>`. */
  path: string;
  /** The Vault namespace of the target (entries of another namespace are not counted). */
  namespace?: string;
  /** ISO time the leak started (the first commit that held it); absent: from the first entry. */
  since?: string;
  /** ISO time of the rotation (or now, for a plan). */
  until: string;
}

interface Entry {
  time?: unknown;
  type?: unknown;
  error?: unknown;
  auth?: { display_name?: unknown; entity_id?: unknown };
  request?: { operation?: unknown; path?: unknown; remote_address?: unknown; namespace?: { path?: unknown } };
}

/** A field as shown: HMAC'd values (`hmac-sha256:…`) and non-strings are never shown. */
function shown(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '-';
  return value.startsWith('hmac-sha256:') ? "(HMAC'd)" : value;
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

/**
 * Streams the audit log and groups the reads of `query.path` in [since, until] by client identity (entity id,
 * display name, remote address). Only `response` entries count (a read is logged twice, request and response).
 */
export async function summariseAuditLog(query: AuditQuery): Promise<AuditSummary> {
  const since = query.since ? Date.parse(query.since) : -Infinity;
  const until = Date.parse(query.until);
  const wanted = trimSlashes(query.path);
  const namespace = query.namespace ? trimSlashes(query.namespace) : '';
  const readers = new Map<string, AuditReader>();
  let malformed = 0;
  let entries = 0;
  const stream = createReadStream(query.file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`--audit-log ${query.file}: cannot read it (${err.code ?? err.message})`)));
  });
  await opened;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    let e: Entry;
    try {
      e = JSON.parse(line) as Entry;
    } catch {
      malformed++;
      continue;
    }
    const at = typeof e?.time === 'string' ? Date.parse(e.time) : NaN;
    if (typeof e !== 'object' || e === null || Number.isNaN(at) || typeof e.request !== 'object' || e.request === null) {
      malformed++;
      continue;
    }
    entries++;
    const r = e.request;
    if (e.type !== 'response' || r.operation !== 'read' || typeof r.path !== 'string' || trimSlashes(r.path) !== wanted) continue;
    const entryNamespace = typeof r.namespace?.path === 'string' ? trimSlashes(r.namespace.path) : '';
    if (entryNamespace !== namespace || at < since || at > until) continue;
    const who = { entityId: shown(e.auth?.entity_id), displayName: shown(e.auth?.display_name), remoteAddress: shown(r.remote_address) };
    const key = `${who.entityId}\n${who.displayName}\n${who.remoteAddress}`;
    const time = new Date(at).toISOString();
    const reader = readers.get(key) ?? { ...who, first: time, last: time, reads: 0, denied: 0 };
    if (time < reader.first) reader.first = time;
    if (time > reader.last) reader.last = time;
    if (typeof e.error === 'string' && e.error !== '') reader.denied++;
    else reader.reads++;
    readers.set(key, reader);
  }
  const summary: AuditSummary = {
    file: query.file,
    path: wanted,
    until: query.until,
    readers: [...readers.values()].sort((a, b) => b.reads - a.reads || a.first.localeCompare(b.first)),
    malformed,
    entries,
  };
  if (query.since) summary.since = query.since;
  if (namespace) summary.namespace = namespace;
  return summary;
}

function windowText(s: AuditSummary): string {
  return `from ${s.since ?? 'the first entry'} until ${s.until}`;
}

/** The summary for a terminal (plan output, apply log): one line per identity, escaped for the terminal. */
export function renderAuditSummary(s: AuditSummary): string[] {
  const where = `${s.path}${s.namespace ? ` (namespace ${s.namespace})` : ''}`;
  const lines = [`Reads of ${terminal(where)} in ${terminal(s.file)} ${windowText(s)}: ${s.readers.length === 0 ? 'none' : `${s.readers.reduce((n, r) => n + r.reads, 0)} by ${s.readers.length} client identit${s.readers.length === 1 ? 'y' : 'ies'}`}`];
  for (const r of s.readers) {
    lines.push(`  - entity ${terminal(r.entityId)}, ${terminal(r.displayName)}, from ${terminal(r.remoteAddress)}: ${r.reads} read(s)${r.denied ? `, ${r.denied} denied` : ''}, ${r.first} .. ${r.last}`);
  }
  if (s.malformed > 0) lines.push(`  note: ${s.malformed} line(s) of ${terminal(s.file)} are not JSON audit entries and were skipped`);
  return lines;
}

/** Readers shown in the issue; the rest are counted. */
const ISSUE_ROWS = 50;

/** The summary as a markdown section for the incident issue (cells escaped). */
export function auditMarkdown(s: AuditSummary): string[] {
  const lines = ['## Who read it during the leak window', '', `Reads of \`${markdownCell(s.path)}\`${s.namespace ? ` (namespace \`${markdownCell(s.namespace)}\`)` : ''} ${windowText(s)}, from the Vault audit log \`${markdownCell(s.file)}\` (tokens, accessors and HMAC'd values are not shown).`, ''];
  if (s.readers.length === 0) lines.push('No read of the path in that window.');
  else {
    lines.push('| Entity | Display name | Remote address | Reads | Denied | First | Last |', '|---|---|---|---|---|---|---|');
    for (const r of s.readers.slice(0, ISSUE_ROWS)) lines.push(`| ${markdownCell(r.entityId)} | ${markdownCell(r.displayName)} | ${markdownCell(r.remoteAddress)} | ${r.reads} | ${r.denied} | ${r.first} | ${r.last} |`);
    if (s.readers.length > ISSUE_ROWS) lines.push('', `…and ${s.readers.length - ISSUE_ROWS} more identities (see the journal).`);
  }
  if (s.malformed > 0) lines.push('', `Note: ${s.malformed} line(s) of the audit log are not JSON audit entries and were skipped.`);
  lines.push('');
  return lines;
}
