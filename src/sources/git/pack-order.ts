// Orders blob reads as the object store holds them, so git inflates each delta chain once instead of hopping between chains.
import type { BatchRequest } from './cat-file-batch.js';
import { gitRecords } from './git-lines.js';

/**
 * Below this many blobs, reading them in the order rev-list listed them costs less than listing the object
 * store to learn its order (a few hundred milliseconds on a repository of millions of objects).
 */
export const PACK_ORDER_MIN = 512;

/** A blob to read, with the object the store keeps it as a delta of (an earlier or later version, mostly). */
export interface PackedRequest extends BatchRequest {
  deltaBase?: string;
}

/**
 * Yields a request for every object of `wanted` (oid -> label), in the order the object store holds them
 * (`cat-file --batch-all-objects --unordered`: pack by pack, in pack order), with its delta base. Reading a
 * pack in its own order costs git about half the CPU of rev-list's order, which jumps between delta chains.
 * Objects the store does not list come last (cat-file reports them missing). Empties `wanted` as it goes.
 */
export async function* inPackOrder(repo: string, wanted: Map<string, string>): AsyncGenerator<PackedRequest> {
  if (wanted.size >= PACK_ORDER_MIN) {
    for await (const record of gitRecords(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(deltabase)', '--unordered'])) {
      const [oid = '', base] = record.split(' ');
      const label = wanted.get(oid);
      if (label === undefined) continue;
      wanted.delete(oid);
      yield base && !NULL_OID.test(base) ? { oid, label, deltaBase: base } : { oid, label };
      if (wanted.size === 0) return;
    }
  }
  for (const [oid, label] of wanted) yield { oid, label };
}

const NULL_OID = /^0+$/;
