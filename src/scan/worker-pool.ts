// A fixed set of scan worker threads, each taking batch requests and answering them in any order.
import { Worker } from 'node:worker_threads';
import type { FileInput } from '../sources/file-input.js';
import type { BlobResult } from './scan-blob.js';
import type { BatchResult, FileJob } from './scan-file.js';
import type { WireFinding } from './wire.js';
import type { BatchReply, BatchRequest, PackedBlob, WorkerInit } from './worker.js';

/** The compiled worker; absent when running from TypeScript sources (tests), where scans run in-process. */
export const WORKER_ENTRY = new URL('./worker.js', import.meta.url);

/**
 * An input of at most this many batches (512 files, 16 MiB) is scanned in-process: starting workers, each
 * loading the modules and compiling its rules, costs more CPU than such an input takes to scan, and little wall time.
 */
export const IN_PROCESS_BATCHES = 8;

type Answer = Exclude<BatchReply, { error: string }>;
type Pending = { resolve(r: Answer): void; reject(e: Error): void };

/** One worker thread with its in-flight requests. */
export class ScanWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #failure: Error | undefined;

  constructor(entry: URL, init: WorkerInit) {
    // Node's flags pass on to workers, but --input-type (from `node -e` embedders) is refused for a file entry.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    this.#worker = new Worker(entry, { workerData: init, execArgv });
    this.#worker.on('message', (reply: BatchReply) => {
      const p = this.#pending.get(reply.id);
      if (!p) return;
      this.#pending.delete(reply.id);
      if ('error' in reply) p.reject(new Error(reply.error));
      else p.resolve(reply);
    });
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.on('exit', (code) => this.#fail(new Error(`scan worker exited with code ${code}`)));
  }

  /** Reads and scans working-tree `files` in the worker. */
  async scan(files: FileJob[]): Promise<BatchResult<WireFinding>> {
    const reply = await this.#request({ files });
    return (reply as Extract<Answer, { result: unknown }>).result;
  }

  /**
   * Scans history blobs in the worker; one result per blob, in order. Their bytes travel packed in one
   * buffer that is moved, not copied: a blob's Buffer is a view into a larger read chunk, which a message
   * would copy whole.
   */
  async scanBlobs(blobs: FileInput[]): Promise<BlobResult<WireFinding>[]> {
    const data = new Uint8Array(blobs.reduce((n, f) => n + (f.bytes?.length ?? 0), 0));
    let at = 0;
    const packed = blobs.map((file): PackedBlob => {
      if (!file.bytes) return { ...file, bytes: null };
      data.set(file.bytes, at);
      at += file.bytes.length;
      return { ...file, bytes: [at - file.bytes.length, file.bytes.length] };
    });
    const reply = await this.#request({ blobs: packed, data: data.buffer }, [data.buffer]);
    return (reply as Extract<Answer, { blobs: unknown }>).blobs;
  }

  #request(body: Omit<BatchRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<Answer> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...body }, transfer);
    });
  }

  async close(): Promise<void> {
    this.#worker.removeAllListeners('exit');
    await this.#worker.terminate();
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}
