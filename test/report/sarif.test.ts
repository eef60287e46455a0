// SARIF specifics: schema validity, rules table, levels, URIs, git metadata, notifications.
import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { buildSarifRun, renderSarif, sarifLog } from '../../src/report/sarif.js';
import type { ReportContext, ScanNote } from '../../src/types.js';
import { COMMITS, finding, reportCases, ROOT, SECRETS } from './cases.js';
import { sarifErrors } from './schemas.js';

function caseNamed(name: string) {
  return reportCases().find((c) => c.name === name)!;
}

function log(name: string, ctx: Partial<ReportContext> = {}): Log {
  const c = caseNamed(name);
  return JSON.parse(renderSarif(c.findings, { ...c.ctx, ...ctx })) as Log;
}

describe('sarif', () => {
  it('validates against the OASIS schema for every case, redacted or shown', () => {
    for (const c of reportCases()) {
      for (const showSecrets of [false, true]) {
        expect(sarifErrors(JSON.parse(renderSarif(c.findings, { ...c.ctx, showSecrets })))).toEqual([]);
      }
    }
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const bad = log('files');
    delete (bad.runs[0]!.results![0] as Partial<Result>).message;
    expect(sarifErrors(bad).length).toBeGreaterThan(0);
  });

  it('lists exactly the rules with results, sorted by id, and ruleIndex points at the right one', () => {
    const run = log('files').runs[0]!;
    const ids = run.tool.driver.rules!.map((r) => r.id);
    expect(ids).toEqual(['aws-access-key-id', 'aws-secret-access-key', 'custom-internal-key', 'github-pat', 'slack-bot-token']);
    expect(ids).not.toContain('unused-rule');
    for (const r of run.results!) expect(run.tool.driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
  });

  it('rules carry help from remediation, a default for rules without it, and security-severity by severity', () => {
    const rules = log('files').runs[0]!.tool.driver.rules!;
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get('github-pat')!.help!.text).toMatch(/^Revoke the token/);
    expect(byId.get('aws-access-key-id')!.help!.text).toMatch(/rotate/);
    expect(byId.get('aws-secret-access-key')!.properties!['security-severity']).toBe('9.5');
    expect(byId.get('github-pat')!.properties!['security-severity']).toBe('8.0');
    expect(byId.get('slack-bot-token')!.properties!['security-severity']).toBe('5.5');
    expect(byId.get('custom-internal-key')!.properties!['security-severity']).toBe('3.0');
    expect(byId.get('custom-internal-key')!.shortDescription!.text).toBe('Internal API key (user rule)');
    for (const r of rules) expect(r.properties!.tags).toContain('security');
  });

  it('maps severity to level: critical/high error, medium warning, low note', () => {
    const levels = Object.fromEntries(log('files').runs[0]!.results!.map((r) => [r.ruleId, r.level]));
    expect(levels).toEqual({
      'aws-access-key-id': 'error',
      'aws-secret-access-key': 'error',
      'custom-internal-key': 'note',
      'github-pat': 'error',
      'slack-bot-token': 'warning',
    });
  });

  it('sorts results by path, line, column, rule', () => {
    const results = log('files').runs[0]!.results!;
    const keys = results.map((r) => {
      const l = r.locations![0]!.physicalLocation!;
      return [l.artifactLocation!.uri, l.region!.startLine, l.region!.startColumn] as const;
    });
    expect(keys).toEqual([
      ['deploy/.env', 1, 19],
      ['deploy/.env', 2, 23],
      ['src/app.ts', 3, 16],
      ['src/app.ts', 12, 20],
      ['src/app.ts', 40, 16],
    ]);
  });

  it('percent-encodes odd file names relative to %SRCROOT%, which maps to the root as a file URI', () => {
    const run = log('odd-names').runs[0]!;
    const uris = run.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!);
    for (const a of uris) {
      expect(a.uriBaseId).toBe('%SRCROOT%');
      expect(a.uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+;=@%/]*$/);
    }
    const decoded = uris.map((a) => a.uri!.split('/').map(decodeURIComponent).join('/'));
    expect(decoded).toContain('my docs/notes #1 (100%).txt');
    expect(decoded).toContain('weird\nname|with`ticks`.env');
    expect(decoded).toContain('données/clé.env');
    expect(decoded).toContain('c:drive,colon.txt');
    expect(run.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(`file://${ROOT.split('/').map(encodeURIComponent).join('/')}/`);
  });

  it('gives git findings a commitSha fingerprint and the run its repository, without credentials', () => {
    const run = log('git').runs[0]!;
    for (const r of run.results!) {
      expect(r.partialFingerprints!['spillway/v1']).toMatch(/^[a-z-]+:/);
      expect([COMMITS.first, COMMITS.second, COMMITS.oldest]).toContain(r.partialFingerprints!.commitSha);
    }
    expect(run.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/acme/app.git', revisionId: COMMITS.third, branch: 'main', mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    expect(JSON.stringify(run)).not.toContain('x-access-token');
    expect(log('files').runs[0]!.versionControlProvenance).toBeUndefined();
    expect(log('files').runs[0]!.results![0]!.partialFingerprints!.commitSha).toBeUndefined();
  });

  it('turns notes into notifications; execution fails only on an error note', () => {
    const files = log('files').runs[0]!.invocations![0]!;
    expect(files.executionSuccessful).toBe(true);
    expect(files.toolExecutionNotifications!.map((n) => n.level)).toEqual(['warning', 'note']);
    expect(files.toolExecutionNotifications![0]!.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'assets/big.bin', uriBaseId: '%SRCROOT%' });
    expect(log('ci-log').runs[0]!.invocations![0]!.executionSuccessful).toBe(false);
  });

  it('gives a note a location only when its input is a path (inside the root: relative)', () => {
    const notes: ScanNote[] = [
      { level: 'warning', input: 'image:app:1.0', message: 'layer too large' },
      { level: 'info', input: `${ROOT}/src/x.ts`, message: 'absolute inside the root' },
      { level: 'info', input: '/elsewhere/y.ts', message: 'absolute outside the root' },
    ];
    const c = caseNamed('empty');
    const run = buildSarifRun([], { ...c.ctx, notes });
    const locations = run.invocations![0]!.toolExecutionNotifications!.map((n) => n.locations);
    expect(locations[0]).toEqual([]);
    expect(locations[1]![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'src/x.ts', uriBaseId: '%SRCROOT%' });
    expect(locations[2]![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'file:///elsewhere/y.ts' });
    expect(sarifErrors(sarifLog([run]))).toEqual([]);
  });

  it('takes timestamps only from the scan info, and leaves them out when absent', () => {
    const c = caseNamed('empty');
    const run = buildSarifRun([], { ...c.ctx, info: { root: ROOT, mode: 'files' } });
    expect(run.invocations![0]!.startTimeUtc).toBeUndefined();
    expect(JSON.stringify(run)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('gives a multi-line secret its full span and a one-line redacted snippet', () => {
    const region = log('pem').runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!;
    expect(region).toMatchObject({ startLine: 4, startColumn: 14, endLine: 10, endColumn: 30 });
    expect(region.snippet!.text).toBe('PRIVATE_KEY="-----BEGIN …(348 chars)"');
  });

  it('carries the finding properties the report format lists', () => {
    const results = log('files').runs[0]!.results!;
    const pat = results.find((r) => r.ruleId === 'github-pat')!;
    expect(pat.properties).toMatchObject({
      severity: 'high', confidence: 'high', secretLength: 40, identifier: 'token', validation: 'checksum-valid', entropy: 4.8,
      tags: ['github'], provenance: { kind: 'file', path: 'src/app.ts' },
    });
    expect(pat.message!.text).toBe(`GitHub personal access token (classic): ghp_…(40 chars).`);
  });

  it('one log can hold several runs (as audit writes), and stays valid', () => {
    const runs = reportCases().map((c) => buildSarifRun(c.findings, c.ctx));
    expect(sarifErrors(sarifLog(runs))).toEqual([]);
  });

  it('reports a finding for a rule missing from the context with what the finding says', () => {
    const c = caseNamed('empty');
    const f = finding({ ruleId: 'only-in-finding', description: 'Something', severity: 'info', secret: SECRETS.npm, line: `x=${SECRETS.npm}`, provenance: { kind: 'file', path: 'a' } });
    const run = buildSarifRun([f], c.ctx);
    expect(run.tool.driver.rules![0]).toMatchObject({ id: 'only-in-finding', defaultConfiguration: { level: 'note' }, properties: { 'security-severity': '1.0' } });
  });
});
