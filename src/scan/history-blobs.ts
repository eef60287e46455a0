// Detection for the history audit: blobs from the source, scanned in this thread or on worker threads.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Detector } from '../detect/detector.js';
import type { LearnedModel } from '../detect/learned/model.js';
import type { FileInput } from '../sources/file-input.js';
import type { AllowlistSpec, RuleSpec } from '../types.js';
import { BATCH_BYTES, BATCH_FILES } from './batches.js';
import { EditBases } from './edit-bases.js';
import { scanBlob, type BlobResult } from './scan-blob.js';
import { fromWire, type WireFinding } from './wire.js';
import { IN_PROCESS_BATCHES, ScanWorker, WORKER_ENTRY } from './worker-pool.js';

export interface BlobScanOptions {
  /** Scans in this thread (and builds the results' fingerprints). */
  detector: Detector;
  maxBlobSize: number;
  /** Worker threads; 1 scans in this thread. */
  threads: number;
  /** What the workers build their detector from; without it, blobs are scanned in this thread. */
  pool?: { config: { rules: RuleSpec[]; allowlists: AllowlistSpec[]; learned?: LearnedModel }; fingerprintKey: Buffer };
}

/**
 * Scans every blob of `files` and calls `onBlob` with each blob's result, in the order `files` yielded them,
 * whatever the number of threads. On workers, at most two batches per worker are in flight and the source
 * is pulled only as fast as they are answered, so memory stays flat however long the history is. A short
 * history (a few batches) is scanned in this thread. Returns the number of threads that scanned.
 */
export async function scanBlobs(files: AsyncIterable<FileInput>, opts: BlobScanOptions, onBlob: (file: FileInput, result: BlobResult) => void): Promise<number> {
  const batches = batchBlobs(files);
  // Look ahead a few batches (one more than the limit, to learn whether the history ends within it).
  const ready: FileInput[][] = [];
  let ended = false;
  const usePool = opts.threads > 1 && opts.pool !== undefined && existsSync(fileURLToPath(WORKER_ENTRY));
  while (usePool && !ended && ready.length <= IN_PROCESS_BATCHES) {
    const next = await batches.next();
    if (next.done) ended = true;
    else ready.push(next.value);
  }
  const take = async (): Promise<FileInput[] | undefined> => ready.shift() ?? (await batches.next()).value ?? undefined;

  if (!usePool || ended) {
    const bases = new EditBases();
    for (let batch = await take(); batch; batch = await take()) {
      for (const file of batch) onBlob(file, scanBlob(file, opts.detector, opts.maxBlobSize, bases));
    }
    return 1;
  }
  const init = { config: opts.pool!.config, fingerprintKey: opts.pool!.fingerprintKey, maxFileSize: opts.maxBlobSize };
  const workers = Array.from({ length: opts.threads }, () => new ScanWorker(WORKER_ENTRY, init));
  // Batches in flight, oldest first: their answers are taken in this order, so results keep the source's order.
  const inFlight: { batch: FileInput[]; answer: Promise<BlobResult<WireFinding>[]> }[] = [];
  const settleOldest = async (): Promise<void> => {
    const { batch, answer } = inFlight.shift()!;
    (await answer).forEach((r, i) => onBlob(batch[i]!, { ...r, findings: r.findings.map(fromWire) }));
  };
  try {
    let turn = 0;
    for (let batch = await take(); batch; batch = await take()) {
      const answer = workers[turn++ % workers.length]!.scanBlobs(batch);
      answer.catch(() => undefined); // awaited in order by settleOldest; an early failure must not go unhandled
      inFlight.push({ batch, answer });
      if (inFlight.length >= 2 * workers.length) await settleOldest();
    }
    while (inFlight.length) await settleOldest();
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
  return workers.length;
}

/** Groups blobs into batches of at most BATCH_FILES blobs or BATCH_BYTES bytes (a larger blob goes alone). */
async function* batchBlobs(files: AsyncIterable<FileInput>): AsyncGenerator<FileInput[]> {
  let batch: FileInput[] = [];
  let bytes = 0;
  for await (const file of files) {
    batch.push(file);
    bytes += file.bytes?.length ?? 0;
    if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield batch;
}
