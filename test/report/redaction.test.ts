// No report may leak a secret unless --show-secrets: checked for every rendering over every case.
import { describe, expect, it } from 'vitest';
import type { ReportContext } from '../../src/types.js';
import { reportCases, SECRETS } from './cases.js';
import { RENDERINGS } from './renderings.js';

/** Forms that betray a secret in any encoding: the value, each long line of it, and its second half. */
function leakForms(value: string): string[] {
  const half = value.slice(Math.floor(value.length / 2));
  return [value, ...value.split('\n'), ...half.split('\n')].filter((form) => form.length >= 8);
}

function shown(ctx: ReportContext): ReportContext {
  return { ...ctx, showSecrets: true };
}

describe('redaction', () => {
  for (const rendering of RENDERINGS) {
    for (const c of reportCases()) {
      it(`${rendering.name} / ${c.name}: no secret in full without --show-secrets`, () => {
        const output = rendering.render(c.findings, c.ctx);
        for (const finding of c.findings) {
          for (const form of leakForms(finding.secret.reveal())) {
            expect(output.includes(form), `${finding.ruleId} leaked as ${JSON.stringify(form.slice(0, 4))}…`).toBe(false);
          }
        }
        // The repository URL of the git case carries a token in its user info: it must be dropped too.
        expect(output.includes(SECRETS.githubPat.slice(8))).toBe(false);
      });

      it(`${rendering.name} / ${c.name}: secrets shown with --show-secrets`, () => {
        const output = rendering.render(c.findings, shown(c.ctx));
        for (const finding of c.findings) {
          // The second half: free of `_` and line breaks, which markdown and JSON escape.
          const value = finding.secret.reveal();
          const lines = value.slice(Math.floor(value.length / 2)).split('\n');
          expect(output).toContain(lines.reduce((a, b) => (b.length > a.length ? b : a)));
        }
      });
    }
  }

  it('the JSON report holds the exact value with --show-secrets, and says it is not redacted', () => {
    for (const c of reportCases()) {
      const report = JSON.parse(RENDERINGS.find((r) => r.name === 'json')!.render(c.findings, shown(c.ctx))) as {
        findings: { secret: string; redacted: boolean; fingerprint: string }[];
      };
      for (const finding of c.findings) {
        const entry = report.findings.find((f) => f.fingerprint === finding.fingerprint)!;
        expect(entry.secret).toBe(finding.secret.reveal());
        expect(entry.redacted).toBe(false);
      }
    }
  });
});
