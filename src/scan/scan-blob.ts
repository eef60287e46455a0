// Scans one history blob: the corridor, then detect. Shared by the history workers and in-process runs.
import type { Detector } from '../detect/detector.js';
import type { FileInput } from '../sources/file-input.js';
import type { Finding, ScanNote } from '../types.js';
import { fileChunks, type CorridorResult } from './corridor.js';

/** What one blob gave: its findings and notes, and why it was not scanned as text, if it was not. */
export interface BlobResult<F = Finding> {
  findings: F[];
  notes: ScanNote[];
  skipped?: CorridorResult['skipped'];
}

/** Runs `file` through the corridor and `detector`; throws only when the detector does. */
export function scanBlob(file: FileInput, detector: Detector, maxBlobSize: number): BlobResult {
  const { chunks, notes, skipped } = fileChunks(file, { maxFileSize: maxBlobSize });
  const findings = chunks.flatMap((chunk) => detector.detect(chunk, notes));
  return { findings, notes, ...(skipped ? { skipped } : {}) };
}
