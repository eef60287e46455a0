// JSON report: the documented, stable shape (docs/json-report.md) that --baseline and remediation read back.
import type { Confidence, Finding, ReportContext, ScanInfo, ScanNote, Severity } from '../types.js';
import { countBySeverity, sortFindings } from './order.js';
import { redactText, snippetOf } from './redaction.js';
import { TOOL_NAME } from './tool.js';
import { safeRepositoryUri } from './uri.js';

/** The report format's version: bumped only on incompatible changes. */
export const JSON_REPORT_VERSION = 1;

/** One finding as the JSON report holds it; the secret is redacted unless `redacted` is false. */
export interface JsonFinding
  extends Pick<Finding, 'identifier' | 'entropy' | 'place' | 'decodedFrom' | 'validation' | 'message' | 'tags' | 'provenance'> {
  index: number;
  fingerprint: string;
  ruleId: string;
  description: string;
  severity: Severity;
  confidence: Confidence;
  path: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  secret: string;
  secretLength: number;
  redacted: boolean;
  snippet: string;
}

/** The whole JSON report (see docs/json-report.md and docs/json-report.schema.json). */
export interface JsonReport {
  version: typeof JSON_REPORT_VERSION;
  tool: { name: string; version: string };
  scan: {
    root: string;
    mode: ScanInfo['mode'];
    repository?: { uri?: string; revision?: string; branch?: string };
    startedAt?: string;
    finishedAt?: string;
    fingerprintKeyId?: string;
  };
  summary: { findings: number; bySeverity: Partial<Record<Severity, number>>; byRule: Record<string, number> };
  findings: JsonFinding[];
  notes: ScanNote[];
}

function jsonFinding(finding: Finding, index: number, showSecrets: boolean): JsonFinding {
  const { location } = finding;
  return {
    index,
    fingerprint: finding.fingerprint,
    ruleId: finding.ruleId,
    description: finding.description,
    severity: finding.severity,
    confidence: finding.confidence,
    path: location.path,
    startLine: location.startLine,
    startColumn: location.startColumn,
    endLine: location.endLine,
    endColumn: location.endColumn,
    secret: finding.secret.display(showSecrets),
    secretLength: finding.secret.length,
    redacted: !showSecrets,
    snippet: snippetOf(finding, showSecrets),
    ...(finding.identifier !== undefined && { identifier: finding.identifier }),
    ...(finding.entropy !== undefined && { entropy: Math.round(finding.entropy * 100) / 100 }),
    ...(finding.place !== undefined && { place: finding.place }),
    ...(finding.decodedFrom !== undefined && { decodedFrom: finding.decodedFrom }),
    ...(finding.validation !== undefined && { validation: finding.validation }),
    ...(finding.message !== undefined && { message: redactText(finding.message, finding, showSecrets) }),
    tags: [...finding.tags],
    provenance: { ...finding.provenance },
  };
}

function repository(info: ScanInfo): JsonReport['scan']['repository'] {
  if (info.repository === undefined) return undefined;
  const uri = safeRepositoryUri(info.repository.uri);
  const { revision, branch } = info.repository;
  return {
    ...(uri !== undefined && { uri }),
    ...(revision !== undefined && { revision }),
    ...(branch !== undefined && { branch }),
  };
}

/** The JSON report as an object: findings sorted and indexed, summary counts, notes in the order given. */
export function buildJsonReport(findings: readonly Finding[], ctx: ReportContext): JsonReport {
  const sorted = sortFindings(findings);
  const byRule: Record<string, number> = {};
  for (const id of sorted.map((f) => f.ruleId).sort()) byRule[id] = (byRule[id] ?? 0) + 1;
  const repo = repository(ctx.info);
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: TOOL_NAME, version: ctx.toolVersion },
    scan: {
      root: ctx.info.root,
      mode: ctx.info.mode,
      ...(repo !== undefined && { repository: repo }),
      ...(ctx.info.startedAt !== undefined && { startedAt: ctx.info.startedAt }),
      ...(ctx.info.finishedAt !== undefined && { finishedAt: ctx.info.finishedAt }),
      ...(ctx.info.fingerprintKeyId !== undefined && { fingerprintKeyId: ctx.info.fingerprintKeyId }),
    },
    summary: { findings: sorted.length, bySeverity: countBySeverity(sorted), byRule },
    findings: sorted.map((f, i) => jsonFinding(f, i, ctx.showSecrets)),
    notes: ctx.notes.map((n) => ({ level: n.level, input: n.input, message: n.message })),
  };
}

/** The `json` reporter: the report pretty-printed, ending in a newline. */
export function renderJson(findings: Finding[], ctx: ReportContext): string {
  return `${JSON.stringify(buildJsonReport(findings, ctx), null, 2)}\n`;
}
