// Worker thread of a scan: builds its own detector, then scans the batches of files or history blobs it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { createDetector } from '../detect/detector.js';
import type { LearnedModel } from '../detect/learned/model.js';
import { DEFAULT_MAX_FILE_SIZE } from '../sources/read-file.js';
import type { FileInput } from '../sources/file-input.js';
import type { AllowlistSpec, RuleSpec } from '../types.js';
import { EditBases } from './edit-bases.js';
import { scanBlob, type BlobResult } from './scan-blob.js';
import { scanBatch, type BatchResult, type FileJob } from './scan-file.js';
import { toWire, type WireFinding } from './wire.js';

/** What the main thread passes when it starts a worker. */
export interface WorkerInit {
  config: { rules: RuleSpec[]; allowlists: AllowlistSpec[]; learned?: LearnedModel };
  fingerprintKey: Uint8Array;
  maxFileSize?: number;
}

/** A history blob whose bytes are `[offset, length]` in the request's `data`. */
export type PackedBlob = Omit<FileInput, 'bytes'> & { bytes: [number, number] | null };

/** A request: working-tree files to read and scan, or history blobs to scan (their bytes packed in `data`). */
export type BatchRequest = { id: number; files: FileJob[] } | { id: number; blobs: PackedBlob[]; data: ArrayBuffer };
export type BatchReply =
  | { id: number; result: BatchResult<WireFinding> }
  | { id: number; blobs: BlobResult<WireFinding>[] }
  | { id: number; error: string };

const init = workerData as WorkerInit;
const { detector } = createDetector(init.config, { fingerprintKey: Buffer.from(init.fingerprintKey) });
// History blobs stored as deltas of blobs this worker scanned before are scanned as edits of them.
const bases = new EditBases();

parentPort!.on('message', (req: BatchRequest) => {
  const fail = (err: unknown): void => parentPort!.postMessage({ id: req.id, error: (err as Error).message ?? String(err) } satisfies BatchReply);
  if ('blobs' in req) {
    try {
      const { data } = req;
      const unpack = (file: PackedBlob): FileInput => ({ ...file, bytes: file.bytes && Buffer.from(data, ...file.bytes) });
      const blobs = req.blobs.map((file) => scanBlob(unpack(file), detector, init.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, bases));
      parentPort!.postMessage({ id: req.id, blobs: blobs.map((r) => ({ ...r, findings: r.findings.map(toWire) })) } satisfies BatchReply);
    } catch (err) {
      fail(err);
    }
    return;
  }
  scanBatch(req.files, detector, init.maxFileSize).then(
    (result) => parentPort!.postMessage({ id: req.id, result: { ...result, findings: result.findings.map(toWire) } } satisfies BatchReply),
    fail,
  );
});
