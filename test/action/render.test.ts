// SARIF results read back into rows, rendered as a job summary table and annotations, never with the secret.
import { describe, expect, it } from 'vitest';
import { renderAnnotations, MAX_ANNOTATIONS } from '../../src/action/annotations.js';
import { failsOn } from '../../src/action/run.js';
import { findingRows, type FindingRow } from '../../src/action/sarif-findings.js';
import { renderSummary } from '../../src/action/summary.js';
import { redact } from '../../src/secret.js';
import { fakeAwsKeyId } from '../helpers/temp-git.js';

const secret = fakeAwsKeyId(7);

/** A log shaped as REPORT-FORMAT.md describes spillway's SARIF (one git finding, one file finding). */
function sarifLog(): string {
  return JSON.stringify({
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'spillway', rules: [
        { id: 'aws-access-key-id', shortDescription: { text: 'AWS access key ID' } },
        { id: 'generic-password', shortDescription: { text: 'Password, in: a | table' } },
      ] } },
      results: [
        {
          ruleId: 'aws-access-key-id', ruleIndex: 0, level: 'error',
          message: { text: `AWS access key ID: ${redact(secret)}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'deploy/my%20config,v1.env', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 9, endLine: 3, endColumn: 29 } } }],
          partialFingerprints: { 'spillway/v1': 'aws-access-key-id:deploy/my config,v1.env:abc', commitSha: 'c0ffee'.padEnd(40, '0') },
          properties: { severity: 'high', secretLength: 20 },
        },
        {
          ruleId: 'generic-password', ruleIndex: 1, level: 'warning',
          message: { text: 'Password' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'a|b.yaml' }, region: { startLine: 1, endLine: 2 } } }],
          properties: { severity: 'medium', secretLength: 12 },
        },
      ],
    }],
  });
}

describe('findingRows', () => {
  it('reads rule, severity, decoded path, region, commit and the redacted value', () => {
    const [aws, password] = findingRows(sarifLog(), 'report.sarif');
    expect(aws).toEqual({
      ruleId: 'aws-access-key-id', severity: 'high', path: 'deploy/my config,v1.env', startLine: 3, endLine: 3, startColumn: 9, endColumn: 29,
      commit: 'c0ffee'.padEnd(40, '0'), redacted: redact(secret), description: 'AWS access key ID', message: `AWS access key ID: ${redact(secret)}`,
    });
    expect(password?.redacted).toBe('…(12 chars)');
    expect(password?.severity).toBe('medium');
  });

  it('names the file when it is not SARIF', () => {
    expect(() => findingRows('{"version":1}', 'r.json')).toThrow('r.json: not a SARIF log');
    expect(() => findingRows('<html>', 'r.sarif')).toThrow(/^r\.sarif: not JSON/);
  });
});

describe('renderSummary and renderAnnotations', () => {
  const rows = findingRows(sarifLog(), 'report.sarif');

  it('writes a table of rule, file, line, commit and redacted value, escaped as the reporters escape cells', () => {
    const markdown = renderSummary(rows, 'push: commits 1111111..2222222');
    expect(markdown).toContain('### spillway: 2 secrets found');
    expect(markdown).toContain('Scanned: push: commits 1111111..2222222.');
    expect(markdown).toContain('| Rule | File | Line | Commit | Secret |');
    expect(markdown).toContain(`| aws-access-key-id | deploy/my config,v1.env | 3 | c0ffee000000 | ${redact(secret)} |`);
    expect(markdown).toContain('| generic-password | a\\|b.yaml | 1–2 |  | …(12 chars) |');
    expect(markdown).not.toContain(secret);
    expect(renderSummary([], 'the working tree')).toBe('### spillway: no secrets found\n\nScanned: the working tree.\n');
  });

  it('annotates with escaped properties and severity-level commands, without the secret', () => {
    const [aws, password] = renderAnnotations(rows);
    expect(aws).toBe(`::error file=deploy/my config%2Cv1.env,line=3,endLine=3,col=9,endColumn=29,title=spillway%3A aws-access-key-id::AWS access key ID: ${redact(secret)}`);
    expect(password).toBe('::warning file=a|b.yaml,line=1,endLine=2,title=spillway%3A generic-password::Password');
    expect(renderAnnotations(rows).join('\n')).not.toContain(secret);
  });

  it('does not point a commit-message finding at a file', () => {
    const log = JSON.parse(sarifLog()) as { runs: { results: Record<string, any>[] }[] };
    const result = log.runs[0]!.results[0]!;
    result['properties'] = { ...result['properties'], provenance: { kind: 'commit-message', path: 'commit c0ffee0 message', commit: 'c0ffee'.padEnd(40, '0') } };
    result['locations'][0].physicalLocation.artifactLocation.uri = 'commit%20c0ffee0%20message';
    const [annotation] = renderAnnotations(findingRows(JSON.stringify(log), 'report.sarif'));
    expect(annotation).toBe(`::error title=spillway%3A aws-access-key-id::AWS access key ID: ${redact(secret)} At commit c0ffee0 message:3.`);
  });

  it('caps annotations and says how many were left out', () => {
    const many: FindingRow[] = Array.from({ length: MAX_ANNOTATIONS + 5 }, () => rows[0]!);
    const lines = renderAnnotations(many);
    expect(lines).toHaveLength(MAX_ANNOTATIONS + 1);
    expect(lines.at(-1)).toBe('::notice title=spillway::5 more findings are in the job summary and the SARIF report.');
  });

  it('fails per fail-on', () => {
    expect(failsOn('any', rows)).toBe(true);
    expect(failsOn('none', rows)).toBe(false);
    expect(failsOn('high', rows)).toBe(true);
    expect(failsOn('high', rows.slice(1))).toBe(false);
    expect(failsOn('any', [])).toBe(false);
  });
});
