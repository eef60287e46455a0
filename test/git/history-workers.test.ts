// History detection on worker threads (the compiled dist/) gives exactly what the in-process scan gives.
import { describe, expect, it } from 'vitest';
import type { scanHistory as ScanHistory } from '../../src/scan/history.js';
import { scanHistory } from '../../src/scan/history.js';
import type { Finding } from '../../src/types.js';
import { distModule } from '../scan/tree.js';
import { testDetector, testRules, TEST_KEY } from './detector.js';
import { generateHistory } from './generated-history.js';
import { repoFactory } from './repo.js';

const repo = repoFactory();

function comparable(f: Finding): unknown {
  return { ...f, secret: f.secret.reveal(), match: f.match.reveal(), line: f.line.reveal() };
}

describe('scanHistory on worker threads', () => {
  it.each([
    ['loose objects', false],
    // Packed: most blobs are deltas, each sent to the worker that scanned its base, and scanned as an edit there.
    ['a repacked history', true],
  ])('finds the same findings, notes and counts as in this thread, in the same order: %s', async (_, repack) => {
    const r = repo();
    const planted = generateHistory(r, { files: 80, commits: 14 });
    if (repack) {
      r.git('repack', '-adf', '-q');
      const deltas = r.git('cat-file', '--batch-all-objects', '--batch-check=%(objecttype) %(deltabase)').split('\n').filter((l) => /^blob (?!0{40})/.test(l));
      expect(deltas.length).toBeGreaterThan(100);
    }
    const now = (): Date => new Date('2026-01-01T00:00:00Z');
    const detector = testDetector();
    const inThread = await scanHistory({ repo: r.dir, cache: false, threads: 1, now }, detector);
    const { scanHistory: scanHistoryDist } = (await import(distModule('scan/history.js'))) as { scanHistory: typeof ScanHistory };
    const pool = { config: { rules: testRules(), allowlists: [] }, fingerprintKey: TEST_KEY };
    const onWorkers = await scanHistoryDist({ repo: r.dir, cache: false, threads: 2, now }, detector, pool);
    expect(inThread.stats.scanned).toBeGreaterThan(9 * 64); // more than the in-process threshold
    expect(inThread.stats.threads).toBe(1);
    expect(onWorkers.stats.threads).toBe(2);
    expect(inThread.findings.length).toBeGreaterThan(planted / 2);
    expect(onWorkers.findings.map(comparable)).toEqual(inThread.findings.map(comparable));
    expect(onWorkers.notes).toEqual(inThread.notes);
    expect(onWorkers.stats).toEqual({ ...inThread.stats, threads: 2 });
  }, 60_000);

  it('refuses a thread count that is not a positive integer', async () => {
    const r = repo();
    r.commit('one', { 'a.txt': 'a\n' });
    await expect(scanHistory({ repo: r.dir, cache: false, threads: 0 }, testDetector())).rejects.toThrow(/threads must be a positive integer/);
  });
});
