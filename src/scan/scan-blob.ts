// Scans one history blob: the corridor, then detect. Shared by the history workers and in-process runs.
import type { Detector } from '../detect/detector.js';
import type { FileInput } from '../sources/file-input.js';
import type { Finding, ScanNote } from '../types.js';
import { fileChunks, type CorridorResult } from './corridor.js';
import type { EditBases } from './edit-bases.js';

/** What one blob gave: its findings and notes, and why it was not scanned as text, if it was not. */
export interface BlobResult<F = Finding> {
  findings: F[];
  notes: ScanNote[];
  skipped?: CorridorResult['skipped'];
}

/**
 * Runs `file` through the corridor and `detector`; throws only when the detector does. With `bases`, a blob
 * whose delta base is kept there is scanned as an edit of it (Detector.detectEdit: the same findings), and
 * the blob is kept for the blobs stored as deltas of it; a line-continuation chunk `bases` knows clean is not
 * matched again.
 */
export function scanBlob(file: FileInput, detector: Detector, maxBlobSize: number, bases?: EditBases): BlobResult {
  const { chunks, notes, skipped } = fileChunks(file, { maxFileSize: maxBlobSize });
  const findings: Finding[] = [];
  for (const chunk of chunks) {
    if (!bases) {
      findings.push(...detector.detect(chunk, notes));
      continue;
    }
    if (chunk.joinedAt !== undefined) {
      if (bases.knownClean(chunk)) continue;
      const before = notes.length;
      const found = detector.detect(chunk, notes);
      if (found.length === 0 && notes.length === before) bases.addClean(chunk);
      findings.push(...found);
      continue;
    }
    const { findings: found, quiet } = detector.detectEdit(chunk, bases.get(file.deltaBase), notes);
    findings.push(...found);
    if (quiet) bases.add((file.provenance as { blob: string }).blob, quiet);
  }
  return { findings, notes, ...(skipped ? { skipped } : {}) };
}
