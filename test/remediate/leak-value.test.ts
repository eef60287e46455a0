// Recovering the leaked value in memory: from a file span, from a git blob, from base64.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportedFinding } from '../../src/report/parse.js';
import { firstCommitOf } from '../../src/remediate/leak-origin.js';
import { recoverLeakedValue, sliceSpan } from '../../src/remediate/leak-value.js';
import { Secret } from '../../src/secret.js';
import { FIXTURES, leakedValue } from './harness.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function finding(over: Partial<ReportedFinding>): ReportedFinding {
  return { index: 0, fingerprint: 'f', ruleId: 'r', description: '', severity: 'high', path: '.env', startLine: 2, startColumn: 9, endLine: 2, endColumn: 49, secretLength: 40, provenance: { kind: 'file', path: '.env' }, ...over };
}

describe('recoverLeakedValue', () => {
  it('reads the span of a file finding and wraps it in a Secret', async () => {
    const value = await recoverLeakedValue(finding({}), join(FIXTURES, 'scan'));
    expect(value).toBeInstanceOf(Secret);
    expect(value.reveal()).toBe(leakedValue());
    expect(String(value)).not.toContain(leakedValue());
  });

  it('says so when the file changed since the scan', async () => {
    await expect(recoverLeakedValue(finding({ secretLength: 41 }), join(FIXTURES, 'scan'))).rejects.toThrow('the report says 41 (was the file edited?)');
    await expect(recoverLeakedValue(finding({ startLine: 9, endLine: 9 }), join(FIXTURES, 'scan'))).rejects.toThrow('.env:9: the finding\'s span is not in the file any more');
    await expect(recoverLeakedValue(finding({ path: 'gone.env' }), join(FIXTURES, 'scan'))).rejects.toThrow('cannot read the leaked file (ENOENT)');
  });

  it('reads a git finding from its blob, even after the file was deleted, and decodes base64', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'spillway-leak-'));
    dirs.push(repo);
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    const secret = `pw-${'q'.repeat(21)}`;
    const encoded = Buffer.from(secret).toString('base64');
    writeFileSync(join(repo, 'secret.yaml'), `kind: Secret\ndata:\n  password: ${encoded}\n`);
    git('add', '.');
    git('commit', '-qm', 'add');
    const blob = git('rev-parse', 'HEAD:secret.yaml');
    const commit = git('rev-parse', 'HEAD');
    git('rm', '-q', 'secret.yaml');
    git('commit', '-qm', 'remove');
    const f = finding({
      path: 'secret.yaml', startLine: 3, startColumn: 13, endLine: 3, endColumn: 13 + encoded.length, secretLength: secret.length, decodedFrom: 'base64',
      provenance: { kind: 'git', path: 'secret.yaml', blob, commit },
    });
    expect((await recoverLeakedValue(f, repo)).reveal()).toBe(secret);
    expect(await firstCommitOf(repo, 'secret.yaml')).toEqual({ commit, date: git('log', '-1', '--format=%aI', commit) });
    expect(await firstCommitOf(repo, 'never-committed.env')).toBeUndefined();
    expect(await firstCommitOf(join(FIXTURES, 'no-such-dir'), '.env')).toBeUndefined();
    await expect(recoverLeakedValue({ ...f, provenance: { kind: 'git', path: 'secret.yaml', blob: 'f'.repeat(40), commit } }, repo)).rejects.toThrow(`cannot read blob ${'f'.repeat(40)}`);
  });
});

describe('sliceSpan', () => {
  it('cuts single- and multi-line spans with an exclusive end column', () => {
    expect(sliceSpan('abc\ndefg\nhij', { startLine: 2, startColumn: 2, endLine: 2, endColumn: 4 })).toBe('ef');
    expect(sliceSpan('abc\ndefg\nhij', { startLine: 1, startColumn: 3, endLine: 3, endColumn: 2 })).toBe('c\ndefg\nh');
    expect(sliceSpan('abc', { startLine: 1, startColumn: 2, endLine: 1, endColumn: 9 })).toBeUndefined();
  });
});
