// Reads a spillway JSON or SARIF report back into findings (no secret values: reports hold none).
import type { Provenance, Severity } from '../types.js';

/** A finding as a report records it: where it is and what it is, never the value. */
export interface ReportedFinding {
  index: number;
  fingerprint: string;
  ruleId: string;
  description: string;
  severity: Severity;
  path: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  secretLength: number;
  identifier?: string;
  place?: string;
  decodedFrom?: 'base64';
  provenance: Provenance;
}

/** What remediation needs from a report: the scan root and the findings in report order. */
export interface ParsedReport {
  root?: string;
  mode?: string;
  /** Id of the fingerprint key the report was made with (reports before key ids have none). */
  fingerprintKeyId?: string;
  findings: ReportedFinding[];
}

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function severityOf(value: unknown, level: unknown): Severity {
  if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  return level === 'error' ? 'high' : level === 'warning' ? 'medium' : 'low';
}

function provenanceOf(value: unknown, path: string): Provenance {
  if (isObject(value) && typeof value.kind === 'string' && typeof value.path === 'string') return value as unknown as Provenance;
  return { kind: 'file', path };
}

/** Copies the optional fields that are present (reports omit absent ones). */
function optionals(from: Json): Pick<ReportedFinding, 'identifier' | 'place' | 'decodedFrom'> {
  const out: Pick<ReportedFinding, 'identifier' | 'place' | 'decodedFrom'> = {};
  const identifier = str(from.identifier);
  const place = str(from.place);
  if (identifier !== undefined) out.identifier = identifier;
  if (place !== undefined) out.place = place;
  if (from.decodedFrom === 'base64') out.decodedFrom = 'base64';
  return out;
}

function fail(file: string, message: string): never {
  throw new Error(`${file}: ${message}`);
}

function parseJsonReport(doc: Json, file: string): ParsedReport {
  if (!Array.isArray(doc.findings)) fail(file, 'not a spillway JSON report (no "findings" array)');
  const scan = isObject(doc.scan) ? doc.scan : {};
  const findings = doc.findings.map((raw, i): ReportedFinding => {
    if (!isObject(raw)) fail(file, `finding ${i} is not an object`);
    const path = str(raw.path) ?? fail(file, `finding ${i} has no path`);
    return {
      index: num(raw.index) ?? i,
      fingerprint: str(raw.fingerprint) ?? fail(file, `finding ${i} has no fingerprint`),
      ruleId: str(raw.ruleId) ?? fail(file, `finding ${i} has no ruleId`),
      description: str(raw.description) ?? '',
      severity: severityOf(raw.severity, undefined),
      path,
      startLine: num(raw.startLine) ?? fail(file, `finding ${i} has no startLine`),
      startColumn: num(raw.startColumn) ?? 1,
      endLine: num(raw.endLine) ?? num(raw.startLine) ?? 1,
      endColumn: num(raw.endColumn) ?? 1,
      secretLength: num(raw.secretLength) ?? 0,
      ...optionals(raw),
      provenance: provenanceOf(raw.provenance, path),
    };
  });
  const out: ParsedReport = { findings };
  if (str(scan.root) !== undefined) out.root = str(scan.root);
  if (str(scan.mode) !== undefined) out.mode = str(scan.mode);
  if (str(scan.fingerprintKeyId) !== undefined) out.fingerprintKeyId = str(scan.fingerprintKeyId);
  return out;
}

function rootFromSarif(run: Json): string | undefined {
  const bases = isObject(run.originalUriBaseIds) ? run.originalUriBaseIds : {};
  const src = isObject(bases['%SRCROOT%']) ? bases['%SRCROOT%'] : {};
  const uri = str(src.uri);
  if (uri === undefined || !uri.startsWith('file://')) return undefined;
  const path = decodeURIComponent(new URL(uri).pathname);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function parseSarifResult(result: unknown, i: number, file: string): ReportedFinding {
  if (!isObject(result)) fail(file, `result ${i} is not an object`);
  const props = isObject(result.properties) ? result.properties : {};
  const location = Array.isArray(result.locations) && isObject(result.locations[0]) ? result.locations[0] : {};
  const physical = isObject(location.physicalLocation) ? location.physicalLocation : {};
  const artifact = isObject(physical.artifactLocation) ? physical.artifactLocation : {};
  const region = isObject(physical.region) ? physical.region : {};
  const uri = str(artifact.uri) ?? fail(file, `result ${i} has no artifactLocation.uri`);
  const path = decodeURIComponent(uri);
  const partial = isObject(result.partialFingerprints) ? result.partialFingerprints : {};
  const message = isObject(result.message) ? str(result.message.text) : undefined;
  const startLine = num(region.startLine) ?? fail(file, `result ${i} has no region.startLine`);
  return {
    index: i,
    fingerprint: str(props.fingerprint) ?? str(partial['spillway/v1']) ?? fail(file, `result ${i} has no fingerprint`),
    ruleId: str(result.ruleId) ?? fail(file, `result ${i} has no ruleId`),
    description: message ?? '',
    severity: severityOf(props.severity, result.level),
    path,
    startLine,
    startColumn: num(region.startColumn) ?? 1,
    endLine: num(region.endLine) ?? startLine,
    endColumn: num(region.endColumn) ?? 1,
    secretLength: num(props.secretLength) ?? 0,
    ...optionals(props),
    provenance: provenanceOf(props.provenance, path),
  };
}

function parseSarifReport(doc: Json, file: string): ParsedReport {
  const run = Array.isArray(doc.runs) && isObject(doc.runs[0]) ? doc.runs[0] : fail(file, 'SARIF report has no runs');
  const results = Array.isArray(run.results) ? run.results : [];
  const out: ParsedReport = { findings: results.map((r, i) => parseSarifResult(r, i, file)) };
  const root = rootFromSarif(run);
  if (root !== undefined) out.root = root;
  const props = isObject(run.properties) ? run.properties : {};
  if (str(props.mode) !== undefined) out.mode = str(props.mode);
  if (str(props.fingerprintKeyId) !== undefined) out.fingerprintKeyId = str(props.fingerprintKeyId);
  return out;
}

/**
 * Where a JSON.parse error is, as `at line L, column C` (empty when the engine does not say): never the engine's
 * message itself, which quotes the text around the error (a token in a broken report would be printed).
 */
export function jsonErrorWhere(err: unknown, text: string): string {
  const at = /at position (\d+)/.exec((err as Error).message ?? '');
  if (!at) return /end of JSON/i.test((err as Error).message ?? '') ? ' (it ends too early)' : '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/** Parses a spillway report, JSON or SARIF (told apart by content). Throws an Error naming `file` on bad input. */
export function parseReport(text: string, file: string): ParsedReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    fail(file, `not valid JSON${jsonErrorWhere(err, text)}`);
  }
  if (!isObject(doc)) fail(file, 'a report must be a JSON object');
  if (Array.isArray(doc.runs) || typeof doc.$schema === 'string' && doc.$schema.includes('sarif')) return parseSarifReport(doc, file);
  return parseJsonReport(doc, file);
}
