// A one-line progress display for long scans, redrawn on stderr at most ten times a second.
import type { HistoryStats } from '../sources/git/history.js';

/** Returns an onProgress callback drawing `blobs done/total, MB/s, findings` with `write`, and a `done` to clear it. */
export function historyProgress(write: (text: string) => void, now: () => number = Date.now): { update: (stats: HistoryStats, findings: number) => void; done: () => void } {
  const started = now();
  let last = 0;
  let drawn = false;
  return {
    update(stats, findings) {
      const t = now();
      if (t - last < 100) return;
      last = t;
      const done = stats.scanned + stats.binary + stats.oversize + stats.missing + stats.cached;
      const total = `${stats.listed}${stats.listingDone ? '' : '+'}`;
      const seconds = Math.max((t - started) / 1000, 0.001);
      const rate = (stats.bytes / 1e6 / seconds).toFixed(1);
      write(`\r\u001b[2Khistory: ${done}/${total} blobs, ${rate} MB/s, ${findings} finding(s)`);
      drawn = true;
    },
    done() {
      if (drawn) write('\r\u001b[2K');
    },
  };
}
