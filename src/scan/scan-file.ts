// Scans one file of a working-tree scan: read, then the corridor, then detect. Shared by worker threads and in-process runs.
import type { Detector } from '../detect/detector.js';
import { readFileBytesSync } from '../sources/read-file.js';
import type { FsPath } from '../sources/walk.js';
import type { Finding, ScanNote } from '../types.js';
import { fileChunks } from './corridor.js';

/** A file handed to a scanner: where to open it and how to name it. */
export interface FileJob {
  abs: FsPath;
  path: string;
  /** The walk's `dev:ino` of the file: a different file found there at read time is not read. */
  id?: string;
}

/** What scanning a batch of files gave. */
export interface BatchResult<F = Finding> {
  findings: F[];
  notes: ScanNote[];
  /** Files read and scanned. */
  files: number;
  bytes: number;
  /** Files that could not be scanned (each has a note). */
  skipped: number;
}

/** Reads and scans `files` one after the other; a failure on one file becomes a note and the rest go on. */
export async function scanBatch(files: readonly FileJob[], detector: Detector, maxFileSize: number | undefined): Promise<BatchResult> {
  const result: BatchResult = { findings: [], notes: [], files: 0, bytes: 0, skipped: 0 };
  const limit = maxFileSize === undefined ? {} : { maxFileSize };
  for (const file of files) {
    // A byte path comes back from postMessage as a plain Uint8Array.
    const read = readFileBytesSync(typeof file.abs === 'string' ? file.abs : Buffer.from(file.abs), file.path, { ...limit, ...(file.id ? { expectId: file.id } : {}) });
    if ('note' in read) {
      result.notes.push(read.note);
      result.skipped++;
      continue;
    }
    const { chunks, notes, skipped } = fileChunks({ path: file.path, provenance: { kind: 'file', path: file.path }, bytes: read.bytes, size: read.bytes.length }, limit);
    result.notes.push(...notes);
    try {
      for (const chunk of chunks) result.findings.push(...detector.detect(chunk, result.notes));
    } catch (err) {
      result.notes.push({ level: 'error', input: file.path, message: `internal error while scanning: ${(err as Error).message}` });
      result.skipped++;
      continue;
    }
    if (skipped) {
      result.skipped++;
      continue;
    }
    result.files++;
    result.bytes += read.bytes.length;
  }
  return result;
}
