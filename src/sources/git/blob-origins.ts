// Finds where blobs entered history: the earliest commit that introduced each blob at a path, and the others.
import { gitRecords } from './git-lines.js';

/** A commit and path where a blob was introduced (added, or a file changed to it). */
export interface BlobPlace {
  commit: string;
  path: string;
}

/** The earliest introduction of a blob, with the author of that commit, and every other introduction. */
export interface BlobOrigin extends BlobPlace {
  author: string;
  email: string;
  /** ISO 8601 author date. */
  date: string;
  alsoIn: BlobPlace[];
}

const COMMIT_MARK = '\u0001';
const NULL_OID = /^0+$/;

/**
 * Walks the commits of `revArgs` oldest first (parents before children) and records, for each blob in
 * `wanted`, every commit whose diff introduces it: against the parent, against the empty tree for a root
 * (or shallow boundary) commit, and for a merge only what differs from all its parents (an evil merge).
 * Blobs not introduced in these commits are absent from the result.
 */
export async function findBlobOrigins(repo: string, wanted: ReadonlySet<string>, revArgs: readonly string[]): Promise<Map<string, BlobOrigin>> {
  const origins = new Map<string, BlobOrigin>();
  if (wanted.size === 0) return origins;
  // --ignore-submodules=all: a gitlink has no blob to attribute, and reading .gitmodules lets `update = !cmd` kill git.
  const args = ['log', '--reverse', '--topo-order', '--root', '-c', '--raw', '--no-renames', '--no-abbrev', '-z', '--no-textconv', '--no-ext-diff', '--ignore-submodules=all',
    `--format=${COMMIT_MARK}%H%x00%an%x00%ae%x00%aI`, ...revArgs, '--'];
  let commit = { id: '', author: '', email: '', date: '' };
  let header: string[] = [];
  let expectPath = false;
  let newOid = '';
  let newMode = '';
  for await (const raw of gitRecords(repo, args, '\0')) {
    const token = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (header.length > 0) {
      header.push(token);
      if (header.length === 4) {
        commit = { id: header[0]!, author: header[1]!, email: header[2]!, date: header[3]!.trimEnd() };
        header = [];
      }
      continue;
    }
    if (expectPath) {
      expectPath = false;
      if (wanted.has(newOid) && newMode !== '160000' && !NULL_OID.test(newOid)) record(origins, newOid, commit, token);
      continue;
    }
    if (token.startsWith(COMMIT_MARK)) {
      header = [token.slice(1)];
      continue;
    }
    if (token.startsWith(':')) {
      const parents = token.match(/^:+/)![0].length;
      const fields = token.split(' ');
      newMode = fields[parents] ?? '';
      newOid = fields[2 * parents + 1] ?? '';
      expectPath = true;
    }
  }
  return origins;
}

function record(origins: Map<string, BlobOrigin>, oid: string, commit: { id: string; author: string; email: string; date: string }, path: string): void {
  const seen = origins.get(oid);
  if (!seen) {
    origins.set(oid, { commit: commit.id, path, author: commit.author, email: commit.email, date: commit.date, alsoIn: [] });
  } else if (!(seen.commit === commit.id && seen.path === path) && !seen.alsoIn.some((p) => p.commit === commit.id && p.path === path)) {
    seen.alsoIn.push({ commit: commit.id, path });
  }
}
