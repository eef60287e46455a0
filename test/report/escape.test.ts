// Hostile file and author names, per medium: they reach the job summary, the incident issue, workflow commands and
// the terminal as text, never as headings, links, mentions, HTML, commands or escape sequences.
import { describe, expect, it } from 'vitest';
import { issueBody, issueTitle } from '../../src/remediate/github/issue-body.js';
import type { RemediationPlan } from '../../src/remediate/plan.js';
import { markdownCode, markdownText, terminal } from '../../src/report/escape.js';
import { renderAnnotations, renderJobSummary } from '../../src/report/github.js';
import { renderText } from '../../src/report/text.js';
import { finding, reportCases, SECRETS } from './cases.js';

const HOSTILE = 'x.env\n## All clear\n[docs](https://evil.example/a) www.evil.example @team <img src=x onerror=alert(1)> ![p](http://e/p.png) | `tick` &amp; *bold*';

/** Markdown that GitHub would render as something other than plain text in a line of ours. */
function liveMarkdown(markdown: string): string[] {
  const problems: string[] = [];
  for (const line of markdown.split('\n')) {
    if (/^\s*#/.test(line) && !line.startsWith('### spillway') && !line.startsWith('## ')) problems.push(`heading: ${line}`);
    if (/^\s*#+\s*All clear/.test(line)) problems.push(`heading: ${line}`);
    const prose = line.replace(/(`+)[\s\S]*?(?<!`)\1(?!`)/g, '');
    if (/(?<!\\)\[[^\]]*(?<!\\)\]\(/.test(prose)) problems.push(`link: ${line}`);
    if (/@\w/.test(prose)) problems.push(`mention: ${line}`);
    if (/(?<!\\)<img/.test(prose)) problems.push(`html: ${line}`);
    if (/https?:\/\/|(?<!\\)www\./.test(prose)) problems.push(`autolink: ${line}`);
  }
  return problems;
}

const ctx = reportCases().find((c) => c.name === 'empty')!.ctx;
const hostileFinding = finding({ ruleId: 'github-pat', secret: SECRETS.githubPat, line: `t=${SECRETS.githubPat}`, provenance: { kind: 'git', path: HOSTILE, blob: 'b'.repeat(40), commit: 'c'.repeat(40), author: HOSTILE } });

describe('markdown', () => {
  it('keeps a hostile file name plain text in the job summary, a note too', () => {
    const md = renderJobSummary([hostileFinding], { ...ctx, notes: [{ level: 'warning', input: HOSTILE, message: 'cannot read' }] });
    expect(liveMarkdown(md)).toEqual([]);
    expect(md).toContain('@&#8203;team');
    expect(md.split('\n').filter((l) => l.startsWith('| github-pat')).length).toBe(1);
  });

  it('keeps hostile file and author names plain text in the incident issue', () => {
    const plan: RemediationPlan = {
      incident: 'inc-0123456789ab',
      target: { mount: 'kv', path: 'app', property: 'token' },
      confirmed: true,
      externalSecrets: [],
      consumers: [{ kind: 'Deployment', namespace: 'team', name: HOSTILE, modes: ['env'], envNames: ['T'] }],
      restart: false,
      newValue: 'generated',
      finding: {
        fingerprint: 'f', ruleId: 'github-pat', description: HOSTILE, severity: 'high', path: HOSTILE, startLine: 1, startColumn: 3,
        secretLength: 40, redacted: 'ghp_…(40 chars)', report: 'r.sarif',
        provenance: { kind: 'git', path: HOSTILE, blob: 'b'.repeat(40), commit: 'c'.repeat(40), author: HOSTILE, date: HOSTILE, alsoIn: [{ commit: 'd'.repeat(40), path: HOSTILE }] },
      },
    };
    const body = issueBody(plan, [{ at: '2026-11-25T01:00:00.000Z', incident: plan.incident, step: 'rotate', event: 'done', data: { oldVersion: 1, newVersion: 2 } }]);
    expect(liveMarkdown(body)).toEqual([]);
    expect(issueTitle(plan)).not.toMatch(/[\r\n]/);
    const rows = body.split('\n').filter((l) => l.startsWith('| '));
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(4);
  });

  it('writes code spans that hold backticks and table pipes verbatim', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('a|b\nc', true)).toBe('`a\\|b c`');
    expect(markdownText('@team see https://x')).toBe('@&#8203;team see https\\://x');
  });
});

describe('workflow commands', () => {
  it('never lets a file name start a line of its own', () => {
    const lines = renderAnnotations([{ ...hostileFinding, provenance: { kind: 'file', path: `a\n::stop-commands::t\r::warning::forged` }, location: { ...hostileFinding.location, path: `a\n::stop-commands::t\r::warning::forged` } }], { ...ctx, notes: [{ level: 'warning', input: '\n::error::forged', message: 'm' }] });
    const split = lines.trimEnd().split(/\r\n|\r|\n/);
    expect(split.length).toBe(2);
    for (const line of split) expect(line).toMatch(/^::(error|warning) (file=|title=spillway::)/);
  });
});

describe('terminal', () => {
  it('shows control characters and bidi overrides in names as escapes', () => {
    expect(terminal('a\x1b[2Jb\x9b31m\u202ec\nd')).toBe('a\\x1b[2Jb\\x9b31m\\u{202e}c\\nd');
    const text = renderText([{ ...hostileFinding, provenance: { kind: 'file', path: 'e\x1b]0;pwn\x07.env' }, location: { ...hostileFinding.location, path: 'e\x1b]0;pwn\x07.env' } }], { ...ctx, notes: [{ level: 'warning', input: 'n\x1b[31m', message: 'm\x1b[0m' }] });
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});
