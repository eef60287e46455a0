// Tells whether secrets found in history are still present in the files at HEAD.
import type { Secret } from '../../secret.js';
import { catFileBatch } from './cat-file-batch.js';
import { gitRecords } from './git-lines.js';
import { decodeForScan } from '../read-file.js';

/** The blob ids of every file in HEAD's tree (empty for a repository without commits). */
export async function headBlobs(repo: string): Promise<Set<string>> {
  const blobs = new Set<string>();
  try {
    for await (const entry of gitRecords(repo, ['ls-tree', '-r', '-z', '--full-tree', 'HEAD'], '\0')) {
      const [mode, type, oid] = entry.split('\t')[0]!.split(' ');
      if (type === 'blob' && mode !== '160000' && oid) blobs.add(oid);
    }
  } catch {
    // An unborn HEAD has no tree: nothing is present.
    blobs.clear();
  }
  return blobs;
}

/**
 * For each secret, whether its value occurs in some text file at HEAD. Reads the HEAD blobs in `candidates`
 * (default: all of HEAD) once, and stops as soon as every secret has been seen.
 */
export async function secretsAtHead(repo: string, secrets: readonly Secret[], candidates: Iterable<string>, maxSize: number): Promise<boolean[]> {
  const present = secrets.map(() => false);
  let left = secrets.length;
  if (left === 0) return present;
  const requests = (function* () {
    for (const oid of candidates) yield { oid };
  })();
  for await (const obj of catFileBatch(repo, requests, { maxSize })) {
    if (!obj.content) continue;
    const decoded = decodeForScan(obj.content, obj.oid);
    if ('note' in decoded) continue;
    const text = decoded.text;
    secrets.forEach((secret, i) => {
      if (!present[i] && text.includes(secret.reveal())) {
        present[i] = true;
        left--;
      }
    });
    if (left === 0) break;
  }
  return present;
}
