// Text report specifics: grouping by provenance, colour only on request, terminal-safe output, summary, notes.
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import type { ReportContext } from '../../src/types.js';
import { COMMITS, finding, reportCases, SECRETS } from './cases.js';

function caseNamed(name: string) {
  return reportCases().find((c) => c.name === name)!;
}

function text(name: string, ctx: Partial<ReportContext> = {}): string {
  const c = caseNamed(name);
  return renderText(c.findings, { ...c.ctx, ...ctx });
}

const ANSI = /\x1b\[[0-9;]*m/g;

describe('text report', () => {
  it('says so when nothing was found', () => {
    expect(text('empty')).toBe('No secrets found.\n');
  });

  it('ends with a summary of findings, files and severities', () => {
    expect(text('files')).toContain('\n5 findings in 2 files (1 critical, 2 high, 1 medium, 1 low)\n');
    expect(text('pem')).toContain('\n1 finding in 1 file (1 critical)\n');
  });

  it('groups file findings under their path and lists line:col, severity, rule and the redacted secret', () => {
    const out = text('files');
    const [env, app] = [out.indexOf('deploy/.env\n'), out.indexOf('src/app.ts\n')];
    expect(env).toBeGreaterThanOrEqual(0);
    expect(app).toBeGreaterThan(env);
    expect(out).toMatch(/\n {2}3:16 +high +github-pat +ghp_…\(40 chars\) {2}\(identifier token, checksum-valid\)\n/);
  });

  it('groups git findings by commit with author and date, and names each path', () => {
    const out = text('git');
    expect(out).toContain(`commit ${COMMITS.second}  Alice Example <alice@example.com>, 2025-11-03T09:15:00Z\n`);
    expect(out).toContain(`commit ${COMMITS.first}  Bob, 2025-10-01T12:00:00Z\n`);
    expect(out).toMatch(/ {2}config\/settings\.py:7:15 +critical +stripe-live-secret-key .*also in 1 other place/);
    expect(out).toMatch(/\(in the commit message\)/);
  });

  it('lists history newest commit first (as git log does), whatever the paths', () => {
    const out = text('git');
    const at = [COMMITS.second, COMMITS.first, COMMITS.oldest].map((c) => out.indexOf(`commit ${c}  `));
    expect(at[0]).toBeGreaterThanOrEqual(0);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('ends a history report with what to do next per secret: HEAD, introduction, places, the remediation command', () => {
    const out = text('git');
    const steps = out.slice(out.indexOf('What to do next (4 secrets;'));
    expect(steps).toContain('  4. aws-access-key-id AKIA…(20 chars) (high)\n     No longer at HEAD, but still in history');
    expect(steps).toContain('     Introduced in commit ' + COMMITS.oldest.slice(0, 12) + ' (app/.env) on 2025-09-01 by Carol (@corp.example)\n');
    expect(steps).toContain(`     Found in 2 places: config/settings.py (${COMMITS.second.slice(0, 12)}), config/old_settings.py (${COMMITS.third.slice(0, 12)})\n`);
    expect(steps).toMatch(/Still at HEAD: remove it from the code/);
    expect(steps).toMatch(/Run: spillway remediate --report history\.json --finding github-pat:scripts\/release\.sh:[0-9a-f]{32}\n/);
    expect(steps).not.toContain('carol@');
    expect(text('files')).not.toContain('What to do next');
  });

  it('quotes a fingerprint whose path the shell would split', () => {
    const f = finding({
      ruleId: 'github-pat', secret: SECRETS.githubPat, line: `t=${SECRETS.githubPat}`,
      provenance: { kind: 'git', path: "my app/it's.env", commit: COMMITS.first, blob: COMMITS.second, date: '2025-01-01T00:00:00Z' },
    });
    expect(renderText([f], caseNamed('git').ctx)).toContain(`--finding 'github-pat:my app/it'\\''s.env:`);
  });

  it('groups image findings by layer and CI findings by job', () => {
    expect(text('image').match(/^image registry\.example\.com\/app:1\.2\.3 layer [0-9a-f]{12}$/gm)).toHaveLength(2);
    expect(text('image')).toContain('deleted in a later layer');
    expect(text('ci-log')).toMatch(/^CI log run 4242 job build$/m);
  });

  it('lists notes at the end with their level', () => {
    const out = text('files');
    expect(out.trimEnd().split('\n').slice(-3)).toEqual(['Notes:', '  warning: assets/big.bin: skipped: binary file', '  info: vendor/huge.js: skipped: larger than 10 MB']);
  });

  it('uses ANSI colour only when asked, and colour changes nothing else', () => {
    for (const c of reportCases()) {
      const plain = renderText(c.findings, c.ctx);
      const coloured = renderText(c.findings, { ...c.ctx, color: true });
      expect(plain).not.toMatch(ANSI);
      expect(coloured).toMatch(ANSI);
      expect(coloured.replace(ANSI, '')).toBe(plain);
    }
  });

  it('escapes terminal control characters and bidi overrides from scanned text and file names', () => {
    const out = text('odd-names');
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    expect(out).toContain('\\x1b[31mred\\x1b[0m \\u{202e}token=');
    expect(out).toContain('weird\\nname|with`ticks`.env\n');
  });

  it('shows a multi-line secret on its own lines with --show-secrets', () => {
    const c = caseNamed('pem');
    const out = renderText(c.findings, { ...c.ctx, showSecrets: true });
    const body = c.findings[0]!.secret.reveal().split('\n')[2]!;
    expect(out).toContain(`\n      ${body}\n`);
  });

  it('prints a CRLF multi-line snippet as plain lines, without visible carriage returns', () => {
    const pem = SECRETS.pem.replace(/\n/g, '\r\n');
    const f = finding({ ruleId: 'private-key-rsa', secret: pem, line: `${pem}\r\nnext line`, provenance: { kind: 'file', path: 'k.pem' } });
    const out = renderText([f], reportCases()[0]!.ctx);
    expect(out).toContain(`      ${f.secret.redacted()}\n      next line\n`);
    expect(out).not.toContain('\\r');
  });
});
