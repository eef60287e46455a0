// Streams object contents out of one long-lived `git cat-file --batch` process, with back-pressure.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { safeGitArgs, safeGitEnv } from './safe-git.js';

/** One object read from the batch: `content` is absent when it was over `maxSize` (skipped) or missing. */
export interface BatchObject {
  oid: string;
  /** The name the request carried after the oid (e.g. a path), if any. */
  label?: string;
  type: string;
  size: number;
  content?: Buffer;
  missing?: boolean;
}

export interface CatFileOptions {
  /** Objects larger than this are read past without being kept in memory. Default: unlimited. */
  maxSize?: number;
  /** Bytes read ahead of the consumer, so git keeps working while a blob is scanned. Default 8 MiB. */
  readAhead?: number;
}

/** A request: an object name (oid, `:path`, `REV:path`), optionally with a label carried back in the result. */
export interface BatchRequest {
  oid: string;
  label?: string;
}

/**
 * Reads objects through one `git cat-file --batch` child. Requests are written as they are pulled from
 * `requests`, results are yielded in the same order; the child's stdout is only read as fast as the
 * caller consumes (plus `readAhead`), so memory stays bounded by the largest object kept (or `maxSize`).
 * NOTE: git buffers its output (`--buffer`) until its buffer fills or `requests` ends, so a caller must not
 * wait for a result before producing the next request.
 */
export async function* catFileBatch(
  repo: string,
  requests: AsyncIterable<BatchRequest> | Iterable<BatchRequest>,
  opts: CatFileOptions = {},
): AsyncGenerator<BatchObject> {
  const child = spawn('git', safeGitArgs(repo, ['cat-file', '--batch', '--buffer']), {
    env: safeGitEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => stderr.push(b));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const spawnError = new Promise<never>((_, reject) => child.on('error', reject));
  spawnError.catch(() => undefined);

  const pending: BatchRequest[] = [];
  let writerDone = false;
  let writerError: unknown;
  const writer = writeRequests(child, requests, pending).then(
    () => (writerDone = true),
    (err: unknown) => {
      writerError = err;
      writerDone = true;
    },
  );

  const parser = new BatchParser(opts.maxSize ?? Number.POSITIVE_INFINITY);
  // A pipe holds only 64 KiB: without a read-ahead buffer git would stall whenever a blob is being scanned.
  const ahead = child.stdout.pipe(new PassThrough({ highWaterMark: opts.readAhead ?? 8 * 1024 * 1024 }));
  try {
    for await (const buf of ahead as AsyncIterable<Buffer>) {
      for (const obj of parser.push(buf)) {
        const req = pending.shift();
        if (req?.label !== undefined) obj.label = req.label;
        yield obj;
      }
    }
    await writer;
    if (writerError) throw writerError;
    const code = await Promise.race([exited, spawnError]);
    if (code !== 0 || parser.hasPartial()) {
      throw new Error(`git cat-file --batch failed (exit ${code}) in ${repo}: ${Buffer.concat(stderr).toString('utf8').trim()}`);
    }
  } finally {
    if (!writerDone || child.exitCode === null) child.kill();
  }
}

async function writeRequests(
  child: ChildProcessWithoutNullStreams,
  requests: AsyncIterable<BatchRequest> | Iterable<BatchRequest>,
  pending: BatchRequest[],
): Promise<void> {
  const stdin = child.stdin;
  stdin.on('error', () => undefined);
  try {
    for await (const req of requests) {
      if (child.exitCode !== null || stdin.destroyed) return;
      if (/[\n\r]/.test(req.oid)) throw new TypeError(`cat-file request: object name must not contain a newline: ${JSON.stringify(req.oid)}`);
      pending.push(req);
      if (!stdin.write(`${req.oid}\n`)) await drained(stdin);
    }
  } finally {
    // Also when the requests fail: git must see the end of its input, or the reader waits forever.
    stdin.end();
  }
}

function drained(stdin: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stdin.off('drain', done);
      stdin.off('close', done);
      resolve();
    };
    stdin.on('drain', done);
    stdin.on('close', done);
  });
}

/** Incremental parser of `<oid> <type> <size>\n<content>\n` and `<name> missing\n` records. */
export class BatchParser {
  #buf: Buffer = Buffer.alloc(0);
  #current: { oid: string; type: string; size: number; keep: boolean; parts: Buffer[]; remaining: number } | undefined;

  constructor(private readonly maxSize: number) {}

  /** Feeds bytes; returns the objects completed by them. */
  push(data: Buffer): BatchObject[] {
    const out: BatchObject[] = [];
    let buf = this.#buf.length ? Buffer.concat([this.#buf, data]) : data;
    for (;;) {
      const cur = this.#current;
      if (cur) {
        if (cur.remaining > 0) {
          const take = Math.min(cur.remaining, buf.length);
          if (cur.keep) cur.parts.push(buf.subarray(0, take));
          cur.remaining -= take;
          buf = buf.subarray(take);
          if (cur.remaining > 0) break;
        }
        if (buf.length < 1) break;
        const obj: BatchObject = { oid: cur.oid, type: cur.type, size: cur.size };
        if (cur.keep) obj.content = cur.parts.length === 1 ? cur.parts[0]! : Buffer.concat(cur.parts);
        out.push(obj);
        buf = buf.subarray(1); // the newline after the content
        this.#current = undefined;
        continue;
      }
      const nl = buf.indexOf(10);
      if (nl < 0) break;
      const header = buf.subarray(0, nl).toString('utf8');
      buf = buf.subarray(nl + 1);
      const fields = header.split(' ');
      if (fields.length === 2 && (fields[1] === 'missing' || fields[1] === 'ambiguous')) {
        out.push({ oid: fields[0]!, type: fields[1]!, size: 0, missing: true });
        continue;
      }
      const size = Number(fields[2]);
      if (fields.length !== 3 || !Number.isSafeInteger(size)) throw new Error(`git cat-file --batch: unexpected header ${JSON.stringify(header)}`);
      this.#current = { oid: fields[0]!, type: fields[1]!, size, keep: size <= this.maxSize, parts: [], remaining: size };
    }
    // Keep only the unparsed tail, copied so the big chunk it came from can be freed.
    this.#buf = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
    return out;
  }

  /** True when input ended inside a record. */
  hasPartial(): boolean {
    return this.#current !== undefined || this.#buf.length > 0;
  }
}
