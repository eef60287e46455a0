// Reading reports back: JSON and SARIF give the same findings; bad reports are named; findings are picked by fingerprint or index.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../src/report/parse.js';
import { selectFinding } from '../../src/remediate/finding-input.js';
import { FIXTURES } from './harness.js';

const jsonText = readFileSync(join(FIXTURES, 'scan', 'report.json'), 'utf8');
const sarifText = readFileSync(join(FIXTURES, 'scan', 'report.sarif'), 'utf8');

describe('parseReport', () => {
  it('reads the JSON report into the documented shape', () => {
    const report = parseReport(jsonText, 'report.json');
    expect(report.root).toBe('/nonexistent/ci-workspace/app');
    expect(report.mode).toBe('files');
    expect(report.findings).toEqual([
      {
        index: 0,
        fingerprint: 'generic-api-key:.env:9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e',
        ruleId: 'generic-api-key',
        description: 'Generic API key',
        severity: 'high',
        path: '.env',
        startLine: 2,
        startColumn: 9,
        endLine: 2,
        endColumn: 49,
        secretLength: 40,
        identifier: 'API_KEY',
        place: 'dotenv',
        provenance: { kind: 'file', path: '.env' },
      },
    ]);
  });

  it('reads the SARIF report to the same finding and root', () => {
    const json = parseReport(jsonText, 'report.json');
    const sarif = parseReport(sarifText, 'report.sarif');
    expect(sarif.root).toBe(json.root);
    expect(sarif.findings).toHaveLength(1);
    const { description: _d, ...rest } = sarif.findings[0]!;
    const { description: _e, ...expected } = json.findings[0]!;
    expect(rest).toEqual(expected);
  });

  it('keeps git provenance and decodedFrom, and decodes percent-encoded SARIF uris', () => {
    const doc = JSON.parse(sarifText);
    const result = doc.runs[0].results[0];
    result.locations[0].physicalLocation.artifactLocation.uri = 'config/my%20app.env';
    result.properties.decodedFrom = 'base64';
    result.properties.provenance = { kind: 'git', path: 'config/my app.env', commit: 'c'.repeat(40), blob: 'b'.repeat(40), date: '2026-01-02T03:04:05Z' };
    const f = parseReport(JSON.stringify(doc), 'x.sarif').findings[0]!;
    expect(f.path).toBe('config/my app.env');
    expect(f.decodedFrom).toBe('base64');
    expect(f.provenance).toMatchObject({ kind: 'git', commit: 'c'.repeat(40) });
  });

  it.each([
    ['not json', 'bad.json: not valid JSON'],
    ['[]', 'bad.json: a report must be a JSON object'],
    ['{"version":1}', 'bad.json: not a spillway JSON report'],
    ['{"findings":[{"path":"a"}]}', 'bad.json: finding 0 has no fingerprint'],
    ['{"runs":[]}', 'bad.json: SARIF report has no runs'],
  ])('rejects %s naming the file', (text, message) => {
    expect(() => parseReport(text, 'bad.json')).toThrow(message);
  });
});

describe('selectFinding', () => {
  const report = parseReport(jsonText, 'report.json');
  it('picks by fingerprint or by index', () => {
    expect(selectFinding(report, 'generic-api-key:.env:9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e', 'r').index).toBe(0);
    expect(selectFinding(report, '0', 'r').path).toBe('.env');
  });
  it('says what is missing', () => {
    expect(() => selectFinding(report, '3', 'r.json')).toThrow('r.json: no finding with index 3 (the report has 1)');
    expect(() => selectFinding(report, 'nope:x:y', 'r.json')).toThrow('r.json: no finding with fingerprint nope:x:y');
  });
});

describe('parseReport on the reporters\' golden outputs', () => {
  const golden = join(FIXTURES, '..', 'report', 'golden');
  const cases = readdirSync(join(golden, 'json')).map((f) => f.replace(/\.json$/, ''));

  it.each(cases)('%s: JSON and SARIF give the same findings', (name) => {
    const json = parseReport(readFileSync(join(golden, 'json', `${name}.json`), 'utf8'), `${name}.json`);
    const sarif = parseReport(readFileSync(join(golden, 'sarif', `${name}.sarif`), 'utf8'), `${name}.sarif`);
    const raw = JSON.parse(readFileSync(join(golden, 'json', `${name}.json`), 'utf8')) as { findings: unknown[] };
    expect(json.findings).toHaveLength(raw.findings.length);
    expect(sarif.root).toBe(json.root);
    expect(sarif.mode).toBe(json.mode);
    const strip = (fs: typeof json.findings) => fs.map(({ description: _d, ...rest }) => rest);
    expect(strip(sarif.findings)).toEqual(strip(json.findings));
  });
});
