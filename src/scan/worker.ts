// Worker thread of a working-tree scan: builds its own detector, then scans the batches of files it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { createDetector } from '../detect/detector.js';
import type { LearnedModel } from '../detect/learned/model.js';
import type { AllowlistSpec, RuleSpec } from '../types.js';
import { scanBatch, type BatchResult, type FileJob } from './scan-file.js';
import { toWire, type WireFinding } from './wire.js';

/** What the main thread passes when it starts a worker. */
export interface WorkerInit {
  config: { rules: RuleSpec[]; allowlists: AllowlistSpec[]; learned?: LearnedModel };
  fingerprintKey: Uint8Array;
  maxFileSize?: number;
}

/** A batch request and its answer. */
export interface BatchRequest {
  id: number;
  files: FileJob[];
}
export type BatchReply = { id: number; result: BatchResult<WireFinding> } | { id: number; error: string };

const init = workerData as WorkerInit;
const { detector } = createDetector(init.config, { fingerprintKey: Buffer.from(init.fingerprintKey) });

parentPort!.on('message', (req: BatchRequest) => {
  scanBatch(req.files, detector, init.maxFileSize).then(
    (result) => parentPort!.postMessage({ id: req.id, result: { ...result, findings: result.findings.map(toWire) } } satisfies BatchReply),
    (err: unknown) => parentPort!.postMessage({ id: req.id, error: (err as Error).message ?? String(err) } satisfies BatchReply),
  );
});
