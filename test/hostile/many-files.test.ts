// 100,000 small files through the CLI: every one scanned (counted by --debug), the one secret found. Time is printed, not asserted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, goodLine, group, RULES, removeGroups } from './harness.js';

afterAll(removeGroups);

describe('a very wide tree', () => {
  it('100,000 small files: all scanned, the secret among them found', async () => {
    const dir = group('many');
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(dir, `d${d}`));
      for (let f = 0; f < 1000; f++) writeFileSync(join(dir, `d${d}`, `f${f}.txt`), `line ${d}.${f}\n`);
    }
    writeFileSync(join(dir, 'd42', 'f500.txt'), goodLine('needle'));
    const started = performance.now();
    const r = await cli(['scan', '.', '--config', RULES, '--no-git', '-f', 'json', '--debug'], dir);
    console.log(`FIGURE 100,001 files: ${((performance.now() - started) / 1000).toFixed(1)} s for the whole CLI run`);
    expect(r.stderr).toMatch(/debug: 100001 files scanned \(\d+ bytes\), 0 skipped/);
    const report = JSON.parse(r.stdout) as { findings: { path: string }[]; notes: unknown[] };
    expect(report.findings.map((f) => f.path).sort()).toEqual(['d42/f500.txt', 'good.ts']);
    expect(report.notes).toEqual([]);
    expect(r.code).toBe(1);
  }, 300_000);
});
