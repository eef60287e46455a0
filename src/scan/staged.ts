// The pre-commit scan as a library call: staged files whole through the corridor, findings on added lines kept.
import type { Detector } from '../detect/detector.js';
import { StagedSource } from '../sources/git/staged.js';
import type { Finding, ScanNote } from '../types.js';
import { fileChunks } from './corridor.js';

export interface StagedScanOptions {
  /** The repository's top level. */
  repo: string;
  maxFileSize?: number;
  /** The index to read (a hook's GIT_INDEX_FILE), absolute. */
  indexFile?: string;
}

/**
 * Scans what the next commit would add. Each staged file is read whole (a format parser cannot read bare
 * runs of added lines) and goes through the corridor as any file does; a finding is kept when one of the
 * lines it spans is added by the commit. Throws when git cannot diff the index.
 */
export async function scanStaged(opts: StagedScanOptions, detector: Detector): Promise<{ findings: Finding[]; notes: ScanNote[] }> {
  const source = new StagedSource(opts.repo, { ...(opts.maxFileSize !== undefined ? { maxBlobSize: opts.maxFileSize } : {}), ...(opts.indexFile ? { indexFile: opts.indexFile } : {}) });
  const findings: Finding[] = [];
  const notes: ScanNote[] = [];
  for await (const file of source.files()) {
    const result = fileChunks(file, opts.maxFileSize !== undefined ? { maxFileSize: opts.maxFileSize } : {});
    notes.push(...result.notes);
    for (const chunk of result.chunks) {
      findings.push(...detector.detect(chunk, notes).filter((f) => touchesAdded(f, source)));
    }
  }
  notes.push(...source.notes);
  return { findings, notes };
}

function touchesAdded(f: Finding, source: StagedSource): boolean {
  for (let line = f.location.startLine; line <= f.location.endLine; line++) if (source.isAdded(f.location.path, line)) return true;
  return false;
}
