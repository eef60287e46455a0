// SARIF 2.1.0 report: one run, rules with help text, redacted results, notes as tool notifications.
import type {
  ArtifactLocation,
  Location as SarifLocation,
  Log,
  Notification,
  ReportingDescriptor,
  Result,
  Run,
  VersionControlDetails,
} from 'sarif';
import type { Confidence, Finding, ReportContext, RuleMeta, ScanNote, Severity } from '../types.js';
import { findingMessage } from './message.js';
import { sortFindings } from './order.js';
import { snippetOf } from './redaction.js';
import { DEFAULT_REMEDIATION, TOOL_INFORMATION_URI, TOOL_NAME } from './tool.js';
import { encodeUriPath, fileUri, isAbsolutePath, safeRepositoryUri } from './uri.js';

/** The OASIS schema every log we write validates against (SARIF 2.1.0, errata 01). */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The base id every result's path is relative to; `originalUriBaseIds` maps it to the scan root. */
export const SRCROOT = '%SRCROOT%';

/** GitHub code scanning ranks security alerts by this score (0-10]: critical >= 9, high >= 7, medium >= 4. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

/** SARIF `rank` (0-100, the result's priority) from the finding's confidence; the tier itself is in properties. */
const RANK: Record<Confidence, number> = { high: 90, medium: 60, low: 30 };

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function timestamp(value: string | undefined): string | undefined {
  return value !== undefined && RFC3339.test(value) ? value : undefined;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Where a path points: relative paths against %SRCROOT%, absolute ones as file URIs (inside the root: relative). */
function artifactLocation(path: string, root: string): ArtifactLocation {
  const base = root.endsWith('/') ? root : `${root}/`;
  if (isAbsolutePath(path) && path.startsWith(base)) return artifactLocation(path.slice(base.length), root);
  if (isAbsolutePath(path)) return { uri: fileUri(path) };
  return { uri: encodeUriPath(path), uriBaseId: SRCROOT };
}

/** The rule descriptor for `id`: from the context's rule metadata, else from what the finding says. */
function ruleDescriptor(id: string, meta: RuleMeta | undefined, finding: Finding): ReportingDescriptor {
  const description = meta?.description ?? finding.description;
  const severity = meta?.severity ?? finding.severity;
  const tags = [...new Set([...(meta?.tags ?? finding.tags), 'security', 'secret'])];
  const remediation = meta?.remediation ?? DEFAULT_REMEDIATION;
  return {
    id,
    shortDescription: { text: description },
    fullDescription: { text: sentence(description) },
    help: { text: remediation, markdown: `**${description}** (\`${id}\`)\n\n${remediation}` },
    defaultConfiguration: { level: LEVEL[severity] },
    properties: { tags, 'security-severity': SECURITY_SEVERITY[severity] },
  };
}

function result(finding: Finding, ruleIndex: number, ctx: ReportContext): Result {
  const { location, provenance } = finding;
  const startLine = Math.max(1, location.startLine);
  const startColumn = Math.max(1, location.startColumn);
  const partialFingerprints: Record<string, string> = { 'spillway/v1': finding.fingerprint };
  if (provenance.kind === 'git' || provenance.kind === 'commit-message') partialFingerprints.commitSha = provenance.commit;
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    rank: RANK[finding.confidence],
    message: { text: findingMessage(finding, ctx.showSecrets) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(location.path, ctx.info.root),
          region: {
            startLine,
            startColumn,
            endLine: Math.max(startLine, location.endLine),
            endColumn: Math.max(1, location.endColumn),
            snippet: { text: snippetOf(finding, ctx.showSecrets) },
          },
        },
      },
    ],
    partialFingerprints,
    properties: {
      fingerprint: finding.fingerprint,
      severity: finding.severity,
      confidence: finding.confidence,
      secretLength: finding.secret.length,
      ...(finding.identifier !== undefined && { identifier: finding.identifier }),
      ...(finding.place !== undefined && { place: finding.place }),
      ...(finding.decodedFrom !== undefined && { decodedFrom: finding.decodedFrom }),
      ...(finding.validation !== undefined && { validation: finding.validation }),
      ...(finding.entropy !== undefined && { entropy: Math.round(finding.entropy * 100) / 100 }),
      tags: [...finding.tags],
      provenance: { ...finding.provenance },
    },
  };
}

/** A note's input as a location when it names a path (no `scheme:` or `kind:` prefix, no line break). */
function noteLocations(input: string, root: string): SarifLocation[] {
  if (input === '' || /[\r\n]/.test(input) || /^[A-Za-z][A-Za-z0-9+.-]+:/.test(input)) return [];
  return [{ physicalLocation: { artifactLocation: artifactLocation(input, root) } }];
}

function notification(note: ScanNote, root: string): Notification {
  return {
    level: note.level === 'info' ? 'note' : note.level,
    message: { text: note.input === '' ? note.message : `${note.input}: ${note.message}` },
    locations: noteLocations(note.input, root),
  };
}

function versionControl(ctx: ReportContext): VersionControlDetails[] {
  const repositoryUri = safeRepositoryUri(ctx.info.repository?.uri);
  if (repositoryUri === undefined) return [];
  const { revision, branch } = ctx.info.repository ?? {};
  return [
    {
      repositoryUri,
      ...(revision !== undefined && { revisionId: revision }),
      ...(branch !== undefined && { branch }),
      mappedTo: { uriBaseId: SRCROOT },
    },
  ];
}

/**
 * The SARIF run for one scan: every rule with a result (sorted by id) in `tool.driver.rules`, one result per
 * finding (sorted by path, line, column, rule), notes as `toolExecutionNotifications`. Secrets are shown
 * only through `display(ctx.showSecrets)`.
 */
export function buildSarifRun(findings: readonly Finding[], ctx: ReportContext): Run {
  const sorted = sortFindings(findings);
  const firstByRule = new Map<string, Finding>();
  for (const f of sorted) if (!firstByRule.has(f.ruleId)) firstByRule.set(f.ruleId, f);
  const ruleIds = [...firstByRule.keys()].sort();
  const metaById = new Map(ctx.rules.map((r) => [r.id, r]));
  const rules = ruleIds.map((id) => ruleDescriptor(id, metaById.get(id), firstByRule.get(id)!));
  const indexById = new Map(ruleIds.map((id, i) => [id, i]));
  const startTimeUtc = timestamp(ctx.info.startedAt);
  const endTimeUtc = timestamp(ctx.info.finishedAt);
  const vcs = versionControl(ctx);
  return {
    tool: {
      driver: {
        name: TOOL_NAME,
        version: ctx.toolVersion,
        semanticVersion: ctx.toolVersion,
        informationUri: TOOL_INFORMATION_URI,
        rules,
      },
    },
    columnKind: 'utf16CodeUnits',
    originalUriBaseIds: { [SRCROOT]: { uri: fileUri(ctx.info.root, true) } },
    ...(vcs.length > 0 && { versionControlProvenance: vcs }),
    invocations: [
      {
        executionSuccessful: !ctx.notes.some((n) => n.level === 'error'),
        ...(startTimeUtc !== undefined && { startTimeUtc }),
        ...(endTimeUtc !== undefined && { endTimeUtc }),
        toolExecutionNotifications: ctx.notes.map((n) => notification(n, ctx.info.root)),
      },
    ],
    results: sorted.map((f) => result(f, indexById.get(f.ruleId)!, ctx)),
    properties: { mode: ctx.info.mode, ...(ctx.info.fingerprintKeyId !== undefined && { fingerprintKeyId: ctx.info.fingerprintKeyId }) },
  };
}

/** A SARIF log holding the given runs (one per scan; `spillway audit` writes one per repository). */
export function sarifLog(runs: Run[]): Log {
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs };
}

/** The `sarif` reporter: a SARIF 2.1.0 log with one run, as pretty-printed JSON ending in a newline. */
export function renderSarif(findings: Finding[], ctx: ReportContext): string {
  return `${JSON.stringify(sarifLog([buildSarifRun(findings, ctx)]), null, 2)}\n`;
}
