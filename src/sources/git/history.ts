// The git history source: every reachable blob once, streamed in pack order through one cat-file process, as files for the corridor.
import type { ScanNote } from '../../types.js';
import type { FileInput } from '../file-input.js';
import { DEFAULT_MAX_FILE_SIZE } from '../read-file.js';
import { catFileBatch } from './cat-file-batch.js';
import { inPackOrder } from './pack-order.js';
import { listBlobs } from './rev-list.js';

/** Default size above which a blob is skipped: the file scan's limit. */
export const DEFAULT_MAX_BLOB_SIZE = DEFAULT_MAX_FILE_SIZE;

export interface HistorySourceOptions {
  repo: string;
  /** git arguments selecting the commits (see revisionArgs). */
  revArgs: readonly string[];
  /** Blobs to leave out (already known clean). */
  skip?: (oid: string) => boolean;
  maxBlobSize?: number;
}

/** Counters a history source keeps while it runs, for progress and the closing summary. */
export interface HistoryStats {
  /** Reachable blobs listed so far. */
  listed: number;
  /** Listing finished: `listed` is the total. */
  listingDone: boolean;
  /** Blobs skipped because the cache knew them clean. */
  cached: number;
  /** Blobs read and scanned as text. */
  scanned: number;
  /** Blobs the corridor found binary (counted by the scan, not the source). */
  binary: number;
  oversize: number;
  missing: number;
  /** Bytes read from git. */
  bytes: number;
  /** Threads that ran detection (1: this thread); set by the scan once it is done. */
  threads: number;
}

/** How many missing blobs a note names before it only counts them. */
const MISSING_NAMED = 5;

/**
 * Yields each unique blob reachable from the selected commits once, in the object store's order, as a file (bytes undecoded: the corridor
 * decodes and chunks it). The provenance carries the blob id and the first path git listed it under; `commit`
 * is left empty here: the earliest commit that introduced the blob is only worth finding for blobs with
 * findings (see findBlobOrigins). Blobs over `maxBlobSize` are yielded without their bytes.
 */
export class HistorySource {
  readonly stats: HistoryStats = { listed: 0, listingDone: false, cached: 0, scanned: 0, binary: 0, oversize: 0, missing: 0, bytes: 0, threads: 1 };
  readonly notes: ScanNote[] = [];

  constructor(private readonly opts: HistorySourceOptions) {}

  async *files(): AsyncGenerator<FileInput> {
    const { repo, revArgs, skip = () => false, maxBlobSize = DEFAULT_MAX_BLOB_SIZE } = this.opts;
    const stats = this.stats;
    const missing: string[] = [];
    const noteMissing = (oid: string, label: string | undefined): void => {
      stats.missing++;
      if (missing.length < MISSING_NAMED) missing.push(label ? `${oid} (${label})` : oid);
    };
    // The whole listing comes first (the oids and their first paths: a few MB for a long history), so
    // that the blobs can then be read in the object store's order.
    // Delta bases of the requests cat-file has not answered yet (as many as it reads ahead).
    const bases = new Map<string, string>();
    const requests = (async function* () {
      const wanted = new Map<string, string>();
      for await (const blob of listBlobs(repo, revArgs)) {
        stats.listed++;
        // Asking cat-file for it would make git try the promisor remote, and die since lazy fetching is off.
        if (blob.missing) {
          noteMissing(blob.oid, undefined);
          continue;
        }
        if (skip(blob.oid)) {
          stats.cached++;
          continue;
        }
        wanted.set(blob.oid, blob.path);
      }
      stats.listingDone = true;
      for await (const req of inPackOrder(repo, wanted)) {
        if (req.deltaBase) bases.set(req.oid, req.deltaBase);
        yield req;
      }
    })();
    for await (const obj of catFileBatch(repo, requests, { maxSize: maxBlobSize })) {
      const path = obj.label ?? obj.oid;
      const deltaBase = bases.get(obj.oid);
      bases.delete(obj.oid);
      if (obj.missing) {
        noteMissing(obj.oid, obj.label);
        continue;
      }
      // rev-list also names annotated tag objects (their messages are scanned as messages).
      if (obj.type !== 'blob') {
        stats.listed--;
        continue;
      }
      stats.bytes += obj.size;
      if (!obj.content) stats.oversize++;
      const provenance = { kind: 'git' as const, path, blob: obj.oid, commit: '' };
      yield { path, display: `${path} (blob ${obj.oid})`, provenance, bytes: obj.content ?? null, size: obj.size, ...(deltaBase ? { deltaBase } : {}) };
    }
    if (stats.missing > 0) {
      const more = stats.missing > missing.length ? `, and ${stats.missing - missing.length} more` : '';
      this.notes.push({
        level: 'warning',
        input: repo,
        message: `${stats.missing} reachable blob(s) are missing or unreadable in the object store (a partial clone, or corrupt objects) and were not scanned: ${missing.join(', ')}${more}`,
      });
    }
  }
}
