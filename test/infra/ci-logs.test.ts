// CI logs: timestamps and ANSI codes stripped before matching, original line numbers kept, masked values ignored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciLogChunks, cleanLogLine } from '../../src/sources/ci-logs.js';
import { builtinDetector } from '../helpers/detector.js';
import { FIXTURES, scanFixture, summary } from './helpers.js';

describe('cleanLogLine', () => {
  it('strips GitHub timestamps, ANSI codes, GitLab sections and log markers', () => {
    expect(cleanLogLine('2024-01-01T00:00:03.5000000Z \x1b[36;1m+ make\x1b[0m\r')).toBe('+ make');
    expect(cleanLogLine('2024-01-01T00:00:00.0000000Z ##[group]Run make')).toBe('Run make');
    expect(cleanLogLine('section_start:1700000002:step_script\r\x1b[0K\x1b[36;1mExecuting\x1b[0;m')).toBe('Executing');
    expect(cleanLogLine('2025-02-01T10:00:00.123456Z 00O+ echo hi')).toBe('echo hi');
  });
});

describe('ciLogChunks', () => {
  it('splits a GitHub job log at its steps, keeping the original line numbers', () => {
    const text = readFileSync(join(FIXTURES, 'ci-logs/github/job.log'), 'utf8');
    const chunks = ciLogChunks(text, { kind: 'ci-log', path: 'job.log', run: '7', job: 'build' });
    expect(chunks.map((c) => [c.provenance.kind === 'ci-log' ? c.provenance.step : undefined, c.startLine, c.place])).toEqual([
      [undefined, 1, 'ci-log'],
      ['actions/checkout@v4', 5, 'ci-log'],
      ['./deploy.sh', 8, 'ci-log'],
    ]);
    expect(chunks[2]!.text.split('\n')[4]).toBe(`+ git clone https://ci:${'ghL0g-f4ke-t0ken-value'}@git.internal/app.git`);
  });

  it('keeps a step named by the provenance (a per-step log file) as one chunk', () => {
    const chunks = ciLogChunks('a\n##[group]Run x\nb\n', { kind: 'ci-log', path: 'x', step: 'Build' });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.provenance).toMatchObject({ step: 'Build' });
  });
});

describe('CI log findings', () => {
  it('GitHub Actions: report the original line (columns count in the cleaned line), and the secret without its ANSI codes', async () => {
    const { findings } = await scanFixture('ci-logs/github/job.log');
    expect(summary(findings)).toEqual(['12:24 dockerfile-run-url-credentials ci-log', '13:23 dockerfile-run-basic-auth ci-log']);
    expect(findings[0]!.secret.reveal()).toBe('ghL0g-f4ke-t0ken-value');
    expect(findings[0]!.message).toMatch(/CI log/);
  });

  it('GitLab CI: sections and colours stripped', async () => {
    const { findings } = await scanFixture('ci-logs/gitlab/job.log');
    expect(summary(findings)).toEqual(['6:42 dockerfile-run-npm-auth-token ci-log']);
    expect(findings[0]!.secret.reveal()).toBe('npmL0gF4keT0ken12345');
  });

  it('masked values (***) are never leaks', async () => {
    const detector = await builtinDetector();
    const text = readFileSync(join(FIXTURES, 'ci-logs/masked/job.log'), 'utf8');
    const findings = ciLogChunks(text, { kind: 'ci-log', path: 'masked.log' }).flatMap((c) => detector.detect(c));
    expect(summary(findings)).toEqual([]);
  });
});
