// Turns one file's text into chunks: format-aware sources (Dockerfile, compose, Kubernetes...) hook in here.
import type { Chunk, ScanNote } from '../types.js';

export interface FileChunks {
  chunks: Chunk[];
  notes: ScanNote[];
}

/** Chunks for a file at `path` (relative, POSIX) with decoded `text`. Pure: no fs access. */
export function chunksForFile(path: string, text: string): FileChunks {
  return { chunks: [{ text, provenance: { kind: 'file', path } }], notes: [] };
}
