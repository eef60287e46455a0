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
import { fromWire } from './wire.js';
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
 * whatever the number of threads. On workers, at most FLIGHTS_PER_WORKER batches per worker are in flight and the source
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
  try {
    await scanByFamily(lookedAhead(ready, batches), workers, onBlob);
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
  return workers.length;
}

/** The blobs of the batches already taken, then the rest of the source's. */
async function* lookedAhead(ready: FileInput[][], batches: AsyncGenerator<FileInput[]>): AsyncGenerator<FileInput> {
  for (const batch of ready) yield* batch;
  for await (const batch of batches) yield* batch;
}

/**
 * Batches a worker may have in flight: a queue that takes up a burst of one delta family, so that few blobs go to
 * another worker (git/git's full history: 134 s wall with 2, 122 s with 4, 120 s with 8 and 40 MB more memory).
 */
const FLIGHTS_PER_WORKER = 4;
/** Blobs a batch may wait unsent behind later ones (their results wait for it, to keep the source's order). */
const STALE_BLOBS = 4 * BATCH_FILES;
/** Blobs whose worker is remembered, for the deltas of them that follow. */
const OWNERS = 200_000;

interface Routed {
  file: FileInput;
  seq: number;
}

/**
 * Scans `files` on `workers`, a blob on the worker that scanned its delta base: each worker keeps the texts it
 * scanned (EditBases), so a delta family scanned on one worker is scanned as edits, where families spread over
 * the workers round-robin would lose about a third of their bases on two. A blob whose worker has its batches in
 * flight goes to one that has room, which takes its family on from there: no worker waits while another is
 * behind. Calls `onBlob` in the source's order.
 */
async function scanByFamily(files: AsyncIterable<FileInput>, workers: ScanWorker[], onBlob: (file: FileInput, result: BlobResult) => void): Promise<void> {
  const owners = new Map<string, number>();
  const pending: Routed[][] = workers.map(() => []);
  const pendingBytes = workers.map(() => 0);
  const flying = workers.map(() => 0);
  const done = new Map<number, [FileInput, BlobResult]>();
  let next = 0;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const drain = (): void => {
    for (let r = done.get(next); r; r = done.get(next)) {
      done.delete(next++);
      onBlob(...r);
    }
  };
  const settled = (): void => {
    if (failure) throw failure.error;
  };
  /** Waits until worker `w` (or, without it, every worker) has no more than `most` batches in flight. */
  const untilFlying = async (most: number, w?: number): Promise<void> => {
    while ((w === undefined ? Math.max(...flying) : flying[w]!) > most && !failure) await new Promise<void>((resolve) => (wake = resolve));
    settled();
  };
  const send = async (w: number): Promise<void> => {
    await untilFlying(FLIGHTS_PER_WORKER - 1, w);
    const batch = pending[w]!;
    pending[w] = [];
    pendingBytes[w] = 0;
    flying[w]!++;
    workers[w]!.scanBlobs(batch.map((r) => r.file))
      .then((results) => {
        results.forEach((r, i) => done.set(batch[i]!.seq, [batch[i]!.file, { ...r, findings: r.findings.map(fromWire) }]));
        drain();
      })
      .catch((error: unknown) => (failure ??= { error }))
      .finally(() => {
        flying[w]!--;
        wake?.();
      });
  };
  const load = (i: number): number => flying[i]! * BATCH_BYTES + pendingBytes[i]!;
  const lightest = (): number => workers.reduce((best, _, i) => (load(i) < load(best) ? i : best), 0);
  let seq = 0;
  for await (const file of files) {
    settled();
    let w = file.deltaBase !== undefined ? owners.get(file.deltaBase) : undefined;
    if (w === undefined || (flying[w]! >= FLIGHTS_PER_WORKER && flying[lightest()]! < FLIGHTS_PER_WORKER)) w = lightest();
    const oid = (file.provenance as { blob?: string }).blob;
    if (oid !== undefined) {
      owners.delete(oid);
      owners.set(oid, w);
      if (owners.size > OWNERS) owners.delete(owners.keys().next().value!);
    }
    pending[w]!.push({ file, seq: seq++ });
    pendingBytes[w]! += file.bytes?.length ?? 0;
    if (pending[w]!.length >= BATCH_FILES || pendingBytes[w]! >= BATCH_BYTES) await send(w);
    for (let v = 0; v < workers.length; v++) if (pending[v]!.length > 0 && seq - pending[v]![0]!.seq > STALE_BLOBS) await send(v);
  }
  for (let v = 0; v < workers.length; v++) if (pending[v]!.length > 0) await send(v);
  await untilFlying(0);
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
