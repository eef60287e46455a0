// GitHub renderings: workflow-command escaping and levels, job summary table escaping and limits.
import { describe, expect, it } from 'vitest';
import { commandData as escapeCommandData, commandProperty as escapeCommandProperty } from '../../src/report/escape.js';
import {
  JOB_SUMMARY_MAX_ROWS,
  markdownCell,
  renderAnnotations,
  renderJobSummary,
} from '../../src/report/github.js';
import type { Severity } from '../../src/types.js';
import { finding, reportCases, SECRETS } from './cases.js';

function caseNamed(name: string) {
  return reportCases().find((c) => c.name === name)!;
}

/** The runner's unescaping of a property value (actions/runner ActionCommand), to prove the round trip. */
function unescapeProperty(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in data, and also : and , in properties', () => {
    expect(escapeCommandData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeCommandProperty('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext%3A a%2Cb');
  });

  it('round-trips odd file names through the runner unescaping', () => {
    const lines = renderAnnotations(caseNamed('odd-names').findings, caseNamed('odd-names').ctx).trimEnd().split('\n');
    const files = lines.map((l) => /^::\w+ file=([^,]*),/.exec(l)?.[1]).filter((f): f is string => f !== undefined).map(unescapeProperty);
    expect(files).toContain('weird\nname|with`ticks`.env');
    expect(files).toContain('c:drive,colon.txt');
    expect(files).toContain('my docs/notes #1 (100%).txt');
    for (const line of lines) expect(line).not.toMatch(/[\r\n]/);
  });
});

describe('annotations', () => {
  it('levels follow severity: critical/high error, medium warning, low/info notice', () => {
    const c = caseNamed('empty');
    const levels = (['critical', 'high', 'medium', 'low', 'info'] as Severity[]).map((severity) => {
      const f = finding({ ruleId: 'github-pat', severity, secret: SECRETS.githubPat, line: `t=${SECRETS.githubPat}`, provenance: { kind: 'file', path: 'a.ts' } });
      return renderAnnotations([f], c.ctx).split(' ')[0];
    });
    expect(levels).toEqual(['::error', '::error', '::warning', '::notice', '::notice']);
  });

  it('points at file, line and columns; leaves columns out for a multi-line span', () => {
    const files = renderAnnotations(caseNamed('files').findings, caseNamed('files').ctx);
    expect(files).toContain('::error file=src/app.ts,line=3,endLine=3,col=16,endColumn=56,title=spillway%3A github-pat::GitHub personal access token (classic): ghp_');
    const pem = renderAnnotations(caseNamed('pem').findings, caseNamed('pem').ctx);
    expect(pem).toMatch(/^::error file=certs\/.env.production,line=4,endLine=10,title=/);
    expect(pem).not.toContain('col=');
  });

  it('gives commit messages, image layers and CI logs no file, and names the place in the message', () => {
    const ci = renderAnnotations(caseNamed('ci-log').findings, caseNamed('ci-log').ctx);
    expect(ci.split('\n')[0]).toMatch(/^::error title=spillway%3A github-pat::.* in CI run 4242 job build step test\. At runs\/4242\/build\/3_test\.txt:118\.$/);
    expect(ci).toContain('::error title=spillway::runs/4243: could not download the logs: HTTP 410 Gone');
  });

  it('is empty when there is nothing to say', () => {
    expect(renderAnnotations([], caseNamed('empty').ctx)).toBe('');
  });
});

describe('job summary', () => {
  it('says no secrets were found when the list is empty', () => {
    expect(renderJobSummary([], caseNamed('empty').ctx)).toBe('### spillway: no secrets found\n\nNo secrets found.\n');
  });

  it('has a heading with counts and a row per finding with rule, file, line, commit and redacted value', () => {
    const md = renderJobSummary(caseNamed('git').findings, caseNamed('git').ctx);
    expect(md.split('\n')[0]).toBe('### spillway: 4 secrets found (1 critical, 3 high)');
    expect(md).toMatch(/\n\| stripe-live-secret-key \| config\/settings\.py \| 7 \| [0-9a-f]{12} \| sk\\_live\\_…\(32 chars\) \|\n/);
  });

  it('escapes pipes, backticks and line breaks so every row keeps five cells', () => {
    expect(markdownCell('a|b`c`\nd<e>')).toBe('a\\|b\\`c\\` d\\<e\\>');
    const rows = renderJobSummary(caseNamed('odd-names').findings, caseNamed('odd-names').ctx).split('\n').filter((l) => l.startsWith('| '));
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  });

  it('caps the table and says how many rows were left out', () => {
    const c = caseNamed('empty');
    const many = Array.from({ length: JOB_SUMMARY_MAX_ROWS + 3 }, (_, i) =>
      finding({ ruleId: 'github-pat', secret: SECRETS.githubPat, line: `t=${SECRETS.githubPat}`, lineNumber: i + 1, provenance: { kind: 'file', path: 'a.ts' } }),
    );
    const md = renderJobSummary(many, c.ctx);
    expect(md.split('\n').filter((l) => l.startsWith('| github-pat'))).toHaveLength(JOB_SUMMARY_MAX_ROWS);
    expect(md).toContain('…and 3 more: see the full report.');
  });
});
