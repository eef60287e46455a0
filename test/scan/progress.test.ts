import { describe, expect, it } from 'vitest';
import { createProgress, formatProgress } from '../../src/scan/progress.js';

const P = { files: 1204, bytes: 56_300_000, skipped: 2, ms: 1000, threads: 2, findings: 1 };

describe('progress', () => {
  it('formats files, MB, MB/s and findings', () => {
    expect(formatProgress(P)).toBe('scanning: 1,204 files, 56.3 MB, 56.3 MB/s, 1 finding');
    expect(formatProgress({ ...P, ms: 0, findings: 3 })).toBe('scanning: 1,204 files, 56.3 MB, 0.0 MB/s, 3 findings');
  });

  it('writes nothing when stderr is not a terminal', () => {
    const out: string[] = [];
    const progress = createProgress({ isTTY: false, stderr: (t) => out.push(t) });
    progress.update(P);
    progress.done();
    expect(out).toEqual([]);
  });

  it('redraws one line on a terminal, throttled, and clears it when done', () => {
    const out: string[] = [];
    let t = 0;
    const progress = createProgress({ isTTY: true, stderr: (s) => out.push(s) }, { intervalMs: 100, now: () => t });
    progress.update(P);
    t = 50;
    progress.update({ ...P, files: 1300 });
    t = 150;
    progress.update({ ...P, files: 1400 });
    progress.done();
    expect(out).toEqual([
      '\r\x1b[2Kscanning: 1,204 files, 56.3 MB, 56.3 MB/s, 1 finding',
      '\r\x1b[2Kscanning: 1,400 files, 56.3 MB, 56.3 MB/s, 1 finding',
      '\r\x1b[2K',
    ]);
  });
});
