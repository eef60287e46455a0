// Remembers which blobs and commit messages a history audit found clean, so a re-audit reads only new ones.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileSafely } from '../../safe-fs.js';
import { userStateDir } from '../../user-dirs.js';

const MAGIC = 'spillway-history-cache 2';

/**
 * Object ids found clean by a given rule set. Only clean ids are stored: objects with findings are read
 * again on every run (so reports stay complete) and nothing secret is ever written to disk.
 */
export interface CleanCache {
  readonly path: string;
  /** Why the stored cache was not used, if it was not. */
  readonly invalidated?: string;
  /** The stored cache was not signed with this user's key: someone else wrote it (a warning, not an info). */
  readonly untrusted?: boolean;
  has(oid: string): boolean;
  add(oid: string): void;
  /** Writes the cache (mode 0600) atomically. */
  save(): Promise<void>;
}

/** Default cache location for a repository whose common git dir is `gitDir`: `<gitDir>/spillway/history-cache`. */
export function defaultCachePath(gitDir: string): string {
  return join(gitDir, 'spillway', 'history-cache');
}

/**
 * The key that signs this user's caches: `<state dir>/history-cache.key`, 32 random bytes made on first use.
 * NOTE: the cache sits in the scanned repository's git dir, which whoever handed us the repository could fill:
 * an id listed there is skipped, so only a list this user's key signed is believed.
 */
export async function cacheKey(env: Record<string, string | undefined>): Promise<Buffer> {
  const file = join(userStateDir(env), 'history-cache.key');
  try {
    return await readFile(file);
  } catch {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': never overwrite a key another process wrote meanwhile.
    await writeFile(file, randomBytes(32), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return readFile(file);
  }
}

function mac(key: Buffer, header: string, body: string): Buffer {
  return createHmac('sha256', key).update(`${header}\n`).update(body).digest();
}

/**
 * Opens the cache at `path` for rule set `version`, checking its HMAC under `key`; a missing file is an empty cache,
 * another version or a list the key did not sign is discarded.
 */
export async function openCleanCache(path: string, version: string, key: Buffer): Promise<CleanCache> {
  const header = `${MAGIC} ${version}`;
  const ids = new Set<string>();
  let invalidated: string | undefined;
  let untrusted = false;
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') invalidated = `cache ${path} unreadable (${(err as Error).message}); starting afresh`;
  }
  if (text !== undefined) {
    const [first, second, ...rest] = text.split('\n');
    const body = rest.join('\n');
    const stored = /^mac ([0-9a-f]{64})$/.exec(second ?? '')?.[1];
    if (first !== header) {
      invalidated = first?.startsWith(MAGIC) ? 'the rule set changed since the last audit; every object is scanned again' : `cache ${path} is not a spillway cache; starting afresh`;
    } else if (!stored || !timingSafeEqual(Buffer.from(stored, 'hex'), mac(key, header, body))) {
      invalidated = `cache ${path} is not signed with this user's key (planted, copied from elsewhere or damaged): ignored, every object is scanned again`;
      untrusted = true;
    } else {
      for (const line of rest) if (/^[0-9a-f]{40,64}$/.test(line)) ids.add(line);
    }
  }
  return {
    path,
    ...(invalidated !== undefined ? { invalidated } : {}),
    ...(untrusted ? { untrusted } : {}),
    has: (oid) => ids.has(oid),
    add: (oid) => void ids.add(oid),
    async save() {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const body = `${[...ids].join('\n')}\n`;
      await writeFileSafely(path, `${header}\nmac ${mac(key, header, body).toString('hex')}\n${body}`);
    },
  };
}
