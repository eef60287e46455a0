// Remembers which blobs and commit messages a history audit found clean, so a re-audit reads only new ones.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileSafely } from '../../safe-fs.js';

const MAGIC = 'spillway-history-cache 1';

/**
 * Object ids found clean by a given rule set. Only clean ids are stored: objects with findings are read
 * again on every run (so reports stay complete) and nothing secret is ever written to disk.
 */
export interface CleanCache {
  readonly path: string;
  /** Why the stored cache was not used, if it was not. */
  readonly invalidated?: string;
  has(oid: string): boolean;
  add(oid: string): void;
  /** Writes the cache (mode 0600) atomically. */
  save(): Promise<void>;
}

/** Default cache location for a repository whose common git dir is `gitDir`: `<gitDir>/spillway/history-cache`. */
export function defaultCachePath(gitDir: string): string {
  return join(gitDir, 'spillway', 'history-cache');
}

/** Opens the cache at `path` for rule set `version`; a missing file is an empty cache, another version is discarded. */
export async function openCleanCache(path: string, version: string): Promise<CleanCache> {
  const ids = new Set<string>();
  let invalidated: string | undefined;
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') invalidated = `cache ${path} unreadable (${(err as Error).message}); starting afresh`;
  }
  if (text !== undefined) {
    const lines = text.split('\n');
    if (lines[0] !== `${MAGIC} ${version}`) {
      invalidated = lines[0]?.startsWith(MAGIC) ? 'the rule set changed since the last audit; every object is scanned again' : `cache ${path} is not a spillway cache; starting afresh`;
    } else {
      for (let i = 1; i < lines.length; i++) if (/^[0-9a-f]{40,64}$/.test(lines[i]!)) ids.add(lines[i]!);
    }
  }
  return {
    path,
    ...(invalidated !== undefined ? { invalidated } : {}),
    has: (oid) => ids.has(oid),
    add: (oid) => void ids.add(oid),
    async save() {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFileSafely(path, `${MAGIC} ${version}\n${[...ids].join('\n')}\n`);
    },
  };
}
