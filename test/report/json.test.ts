// JSON report specifics: the documented schema, ordering, summary, optional fields, sanitised repository.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildJsonReport, renderJson, type JsonReport } from '../../src/report/json.js';
import type { Finding, ReportContext, Severity } from '../../src/types.js';
import { fakeChars, finding, reportCases, ROOT } from './cases.js';
import { jsonReportErrors } from './schemas.js';

function caseNamed(name: string) {
  return reportCases().find((c) => c.name === name)!;
}

function report(name: string, ctx: Partial<ReportContext> = {}): JsonReport {
  const c = caseNamed(name);
  return JSON.parse(renderJson(c.findings, { ...c.ctx, ...ctx })) as JsonReport;
}

describe('json report', () => {
  it('validates against docs/json-report.schema.json for every case, redacted or shown', () => {
    for (const c of reportCases()) {
      for (const showSecrets of [false, true]) {
        expect(jsonReportErrors(JSON.parse(renderJson(c.findings, { ...c.ctx, showSecrets })))).toEqual([]);
      }
    }
  });

  it('the schema rejects a finding without a fingerprint or with an unknown field', () => {
    const r = report('files') as unknown as { findings: Record<string, unknown>[] };
    delete r.findings[0]!.fingerprint;
    expect(jsonReportErrors(r).length).toBeGreaterThan(0);
    const s = report('files') as unknown as { findings: Record<string, unknown>[] };
    s.findings[0]!.extra = 1;
    expect(jsonReportErrors(s).length).toBeGreaterThan(0);
  });

  it('has empty arrays, not nulls or missing keys, when nothing was found', () => {
    const r = report('empty');
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual([]);
    expect(r.summary).toEqual({ findings: 0, bySeverity: {}, byRule: {} });
  });

  it('sorts and indexes findings, and counts them by severity and rule', () => {
    const r = report('files');
    expect(r.findings.map((f) => [f.index, f.path, f.startLine])).toEqual([
      [0, 'deploy/.env', 1],
      [1, 'deploy/.env', 2],
      [2, 'src/app.ts', 3],
      [3, 'src/app.ts', 12],
      [4, 'src/app.ts', 40],
    ]);
    expect(r.summary.bySeverity).toEqual({ critical: 1, high: 2, medium: 1, low: 1 });
    expect(Object.keys(r.summary.bySeverity)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(Object.keys(r.summary.byRule)).toEqual(['aws-access-key-id', 'aws-secret-access-key', 'custom-internal-key', 'github-pat', 'slack-bot-token']);
  });

  it('omits optional fields that are absent and redacts the secret in message and snippet', () => {
    const r = report('files');
    const slack = r.findings.find((f) => f.ruleId === 'slack-bot-token')!;
    expect('identifier' in slack).toBe(false);
    expect('entropy' in slack).toBe(false);
    expect(slack.message).toMatch(/^Revoke it in the Slack app settings; do not paste xoxb-…\(42 chars\) anywhere\.$/);
    expect(slack.redacted).toBe(true);
    expect(slack.secretLength).toBe(42);
  });

  it('keeps the scan root and mode, and strips credentials from the repository URI', () => {
    const r = report('git');
    expect(r.scan).toMatchObject({ root: ROOT, mode: 'history', repository: { uri: 'https://github.com/acme/app.git', branch: 'main' } });
  });

  it('keeps git provenance with every commit it appears in', () => {
    const stripe = report('git').findings.find((f) => f.ruleId === 'stripe-live-secret-key')!;
    expect(stripe.provenance).toMatchObject({ kind: 'git', author: 'Alice Example', alsoIn: [{ path: 'config/old_settings.py' }] });
  });

  it('property: any findings give a schema-valid report, sorted, indexed, free of the secrets', () => {
    const severity = fc.constantFrom<Severity>('critical', 'high', 'medium', 'low', 'info');
    const spec = fc.record({
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      path: fc.string({ minLength: 1, maxLength: 12 }),
      prefix: fc.string({ maxLength: 30 }),
      lineNumber: fc.integer({ min: 1, max: 500 }),
      rule: fc.constantFrom('github-pat', 'aws-access-key-id', 'zz-custom'),
      severity,
    });
    const ctx = caseNamed('empty').ctx;
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 8 }), (specs) => {
        const findings: Finding[] = specs.map((s) => {
          const secret = 'tok' + fakeChars(s.seed, 24);
          return finding({ ruleId: s.rule, severity: s.severity, secret, line: `${s.prefix}${secret}`, lineNumber: s.lineNumber, provenance: { kind: 'file', path: s.path } });
        });
        const text = renderJson(findings, ctx);
        const r = JSON.parse(text) as JsonReport;
        expect(jsonReportErrors(r)).toEqual([]);
        expect(r.findings.map((f) => f.index)).toEqual(findings.map((_, i) => i));
        for (let i = 1; i < r.findings.length; i++) {
          const a = r.findings[i - 1]!;
          const b = r.findings[i]!;
          expect(a.path < b.path || (a.path === b.path && (a.startLine < b.startLine || (a.startLine === b.startLine && a.startColumn <= b.startColumn)))).toBe(true);
        }
        for (const f of findings) expect(text.includes(f.secret.reveal())).toBe(false);
        expect(buildJsonReport(findings, ctx).summary.findings).toBe(findings.length);
      }),
      { numRuns: 60 },
    );
  });
});
