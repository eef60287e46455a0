// spillway as a gitleaks drop-in: with a gitleaks configuration and a gitleaks report, it reports what gitleaks would.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseRuleFile } from '../../src/config/parse-rules.js';
import { REPO, spillway, tree } from '../cli/run.js';

const CONFIG = join(REPO, 'fixtures/gitleaks/gitleaks.toml');
// A fake token made for this test (split so that the repository's own scan does not take it for one).
const PAT = 'ghp_' + 'Zq8Wm3Xk2Lp7Vn4Bc9Rt6Yu1Hj5Kl8Mn2Pq4';
/** The start of a PKCS #12 file (DER, with NUL bytes): binary, as a real one is. */
const P12 = Buffer.from([0x30, 0x82, 0x0a, 0x51, 0x02, 0x01, 0x03, 0x30, 0x82, 0x0a, 0x17, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0x00, 0x00]);

interface JsonFinding {
  ruleId: string;
  path: string;
  severity: string;
  startLine: number;
}

async function scan(dir: string, extra: string[] = []): Promise<{ code: number; findings: JsonFinding[]; stderr: string }> {
  const r = await spillway(['scan', '.', '--config', CONFIG, '-f', 'json', ...extra], { cwd: dir });
  return { code: r.code, findings: r.stdout ? JSON.parse(r.stdout).findings : [], stderr: r.stderr };
}

async function project(): Promise<string> {
  const dir = await tree({ 'app.py': `github_token = "${PAT}"\n` });
  await writeFile(join(dir, 'cert.p12'), P12);
  return dir;
}

describe('gitleaks drop-in', () => {
  test('a ghp_ token is reported by the specific rule, not also (or instead) as generic-api-key', async () => {
    const { findings } = await scan(await project());
    expect(findings.filter((f) => f.path === 'app.py').map((f) => f.ruleId)).toEqual(['github-pat']);
  });

  test('a path-only rule fires on a binary file: the .p12 is reported', async () => {
    const { findings, code } = await scan(await project());
    expect(code).toBe(1);
    expect(findings.filter((f) => f.path === 'cert.p12').map((f) => f.ruleId)).toEqual(['pkcs12-file']);
  });

  test('gitleaks rules (no severity field) are not all high: read from the rule id', () => {
    const { rules } = parseRuleFile('[[rules]]\nid = "adobe-client-id"\nregex = "x"\n', 'g.toml');
    const parsed = parseRuleFile(readFileSync(CONFIG, 'utf8'), CONFIG);
    const severity = Object.fromEntries([...rules, ...parsed.rules].map((r) => [r.id, r.severity]));
    expect(severity).toEqual({
      'adobe-client-id': 'low',
      'example-client-id': 'low',
      'generic-api-key': 'high',
      'github-pat': 'high',
      jwt: 'medium',
      'pkcs12-file': 'critical',
      'private-key': 'critical',
    });
    expect(parseRuleFile('[[rules]]\nid = "my-client-id"\nregex = "x"\nseverity = "high"\n', 'own.toml').rules[0]!.severity).toBe('high');
  });

  test('a gitleaks JSON report is accepted as a baseline (File relative or absolute)', async () => {
    const dir = await project();
    const report = [
      { RuleID: 'github-pat', File: 'app.py', StartLine: 1, EndLine: 1, StartColumn: 17, EndColumn: 56, Secret: 'REDACTED', Match: 'REDACTED', Commit: '', Fingerprint: 'app.py:github-pat:1' },
      { RuleID: 'pkcs12-file', File: join(dir, 'cert.p12'), StartLine: 0, Secret: '', Commit: '', Fingerprint: 'cert.p12:pkcs12-file:0' },
    ];
    await writeFile(join(dir, 'gitleaks-report.json'), JSON.stringify(report));
    // gitleaks numbers a path-only finding's line 0, spillway 1: the same file and rule, so it matches.
    const known = await scan(dir, ['--baseline', 'gitleaks-report.json']);
    expect(known.findings).toEqual([]);
    expect(known.code).toBe(0);
    await writeFile(join(dir, 'gitleaks-report.json'), JSON.stringify(report.slice(1)));
    expect((await scan(dir, ['--baseline', 'gitleaks-report.json'])).findings.map((f) => `${f.path}:${f.ruleId}`)).toEqual(['app.py:github-pat']);
    await writeFile(join(dir, 'bad.json'), JSON.stringify([{ rule: 'x' }]));
    const bad = await scan(dir, ['--baseline', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: finding 0 is not a gitleaks finding/);
  });
});
