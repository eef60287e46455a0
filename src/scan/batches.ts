// Groups the walker's files into batches for the scanners, and passes its notes through.
import type { WalkItem } from '../sources/walk.js';
import type { ScanNote } from '../types.js';
import type { FileJob } from './scan-file.js';

/** Most files in one batch: small enough to balance the threads, large enough to keep messages few. */
export const BATCH_FILES = 64;
/** Most bytes (by the walker's stat) in one batch. */
export const BATCH_BYTES = 2 * 1024 * 1024;

/**
 * Yields batches of files from `items`; notes go to `onNote` as they come. Pulled lazily, so the walk
 * never runs ahead of the scanners by more than the batches they asked for.
 */
export async function* batchFiles(items: AsyncIterable<WalkItem>, onNote: (note: ScanNote) => void): AsyncGenerator<FileJob[]> {
  let batch: FileJob[] = [];
  let bytes = 0;
  for await (const item of items) {
    if (item.kind === 'note') {
      onNote(item.note);
      continue;
    }
    batch.push({ abs: item.abs, path: item.path, id: item.id });
    bytes += item.size;
    if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield batch;
}
