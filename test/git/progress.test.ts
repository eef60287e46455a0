import { describe, expect, it } from 'vitest';
import { historyProgress } from '../../src/cli/progress.js';
import type { HistoryStats } from '../../src/sources/git/history.js';

const stats = (over: Partial<HistoryStats>): HistoryStats => ({ listed: 0, listingDone: false, cached: 0, scanned: 0, binary: 0, oversize: 0, missing: 0, bytes: 0, threads: 1, ...over });

describe('historyProgress', () => {
  it('draws blobs done/total, MB/s and findings at most every 100 ms, and clears the line at the end', () => {
    const out: string[] = [];
    let t = 0;
    const p = historyProgress((s) => out.push(s), () => t);
    t = 1000;
    p.update(stats({ listed: 10, scanned: 3, cached: 1, bytes: 5e6 }), 2);
    t = 1050;
    p.update(stats({ listed: 10, scanned: 4, bytes: 6e6 }), 2);
    t = 2000;
    p.update(stats({ listed: 10, listingDone: true, scanned: 9, binary: 1, bytes: 10e6 }), 3);
    p.done();
    expect(out).toEqual([
      '\r\u001b[2Khistory: 4/10+ blobs, 5.0 MB/s, 2 finding(s)',
      '\r\u001b[2Khistory: 10/10 blobs, 5.0 MB/s, 3 finding(s)',
      '\r\u001b[2K',
    ]);
  });
});
