// A fixed set of scan worker threads, each taking batch requests and answering them in any order.
import { Worker } from 'node:worker_threads';
import type { BatchResult, FileJob } from './scan-file.js';
import type { WireFinding } from './wire.js';
import type { BatchReply, WorkerInit } from './worker.js';

type Pending = { resolve(r: BatchResult<WireFinding>): void; reject(e: Error): void };

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
      else p.resolve(reply.result);
    });
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.on('exit', (code) => this.#fail(new Error(`scan worker exited with code ${code}`)));
  }

  /** Scans `files` in the worker. */
  scan(files: FileJob[]): Promise<BatchResult<WireFinding>> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, files });
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
