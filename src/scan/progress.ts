// A one-line progress display on stderr for long scans; silent unless stderr is a terminal.
import type { ScanProgress } from './files.js';

export interface ProgressIO {
  stderr(text: string): void;
  isTTY: boolean;
}

export interface Progress {
  /** Shows the latest totals (redrawn at most every `intervalMs`). */
  update(progress: ScanProgress): void;
  /** Clears the line so the report starts on a clean one. */
  done(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

/** The progress line's text, e.g. `scanning: 1,204 files, 56.3 MB, 48.1 MB/s, 3 findings`. */
export function formatProgress(p: ScanProgress): string {
  const mb = p.bytes / 1e6;
  const rate = p.ms > 0 ? mb / (p.ms / 1000) : 0;
  const findings = `${p.findings.toLocaleString('en-US')} finding${p.findings === 1 ? '' : 's'}`;
  return `scanning: ${p.files.toLocaleString('en-US')} files, ${mb.toFixed(1)} MB, ${rate.toFixed(1)} MB/s, ${findings}`;
}

/**
 * Progress for `scanFiles({ onProgress })`. On a non-TTY stderr (CI, pipes) it writes nothing at all,
 * so piped output stays clean.
 */
export function createProgress(io: ProgressIO, opts: { intervalMs?: number; now?: () => number } = {}): Progress {
  if (!io.isTTY) return { update: () => {}, done: () => {} };
  const intervalMs = opts.intervalMs ?? 100;
  const now = opts.now ?? (() => performance.now());
  let last = -Infinity;
  let shown = false;
  return {
    update(p) {
      const t = now();
      if (t - last < intervalMs) return;
      last = t;
      shown = true;
      io.stderr(CLEAR_LINE + formatProgress(p));
    },
    done() {
      if (shown) io.stderr(CLEAR_LINE);
      shown = false;
    },
  };
}
