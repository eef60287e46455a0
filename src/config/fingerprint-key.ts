// The key for finding fingerprints: SPILLWAY_FINGERPRINT_KEY when set; else, inside a repository, one derived
// from its root commit (the same for everyone who can read it); else, or on request, one per user.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '../sources/git/safe-git.js';
import { userConfigDir } from '../user-dirs.js';

export const FINGERPRINT_KEY_ENV = 'SPILLWAY_FINGERPRINT_KEY';
/** Set to 1 (or true) for the per-user key even inside a repository, as --per-user-fingerprints does. */
export const PER_USER_FINGERPRINTS_ENV = 'SPILLWAY_PER_USER_FINGERPRINTS';

/** Where a key came from: the environment, a repository's root commit, or the user's key file. */
export type FingerprintKeyScope = 'environment' | 'repository' | 'user';

export interface FingerprintKey {
  key: Buffer;
  scope: FingerprintKeyScope;
  /** Where it came from, for messages (never the key itself). */
  source: string;
  /** A one-way name of the key that reports carry, so that a baseline made with another key can say so. */
  id: string;
  /** Why a repository could not give its key (a shallow clone): the per-user key was used instead. */
  warning?: string;
}

export interface FingerprintKeyOptions {
  /** The scan root: when it is inside a git repository, the key is derived from the root commit. */
  root?: string;
  /** Use the per-user key even inside a repository (--per-user-fingerprints). */
  perUser?: boolean;
}

/** Domain separation: the key is not the commit id itself, and the id is not the key. */
const REPOSITORY_KEY_LABEL = 'spillway fingerprint key v1';
const KEY_ID_LABEL = 'spillway fingerprint key id v1\0';

/** The id reports record for `key`: 16 hex of SHA-256 over a label and the key. */
export function fingerprintKeyId(key: Buffer): string {
  return createHash('sha256').update(KEY_ID_LABEL).update(key).digest('hex').slice(0, 16);
}

/**
 * Resolves the key: $SPILLWAY_FINGERPRINT_KEY (hex or text); else, unless per-user fingerprints are asked
 * for, HMAC-SHA256 of the first-parent root commit of the repository around `root`; else
 * `<config dir>/spillway/fingerprint.key`. A shallow clone has no root commit: the per-user key, with a warning.
 */
export async function resolveFingerprintKey(env: Record<string, string | undefined>, opts: FingerprintKeyOptions = {}): Promise<FingerprintKey> {
  const fromEnv = env[FINGERPRINT_KEY_ENV];
  if (fromEnv) {
    const hex = /^[0-9a-fA-F]{32,}$/.test(fromEnv) && fromEnv.length % 2 === 0;
    return withId({ key: hex ? Buffer.from(fromEnv, 'hex') : Buffer.from(fromEnv, 'utf8'), scope: 'environment', source: `$${FINGERPRINT_KEY_ENV}` });
  }
  const perUser = opts.perUser || /^(?:1|true|yes)$/i.test(env[PER_USER_FINGERPRINTS_ENV] ?? '');
  if (perUser || opts.root === undefined) return userKey(env);
  const root = await rootCommit(opts.root);
  if (root.kind === 'none') return userKey(env);
  if (root.kind === 'shallow') {
    return {
      ...(await userKey(env)),
      warning:
        `${opts.root} is a shallow clone: its root commit is not here, so fingerprints use this user's key and will not match other machines' ` +
        `(fetch the whole history, e.g. actions/checkout with fetch-depth: 0, or set ${FINGERPRINT_KEY_ENV})`,
    };
  }
  const key = createHmac('sha256', REPOSITORY_KEY_LABEL).update(root.commit).digest();
  return withId({ key, scope: 'repository', source: `the repository's root commit ${root.commit.slice(0, 12)}` });
}

type RootCommit = { kind: 'commit'; commit: string } | { kind: 'shallow' } | { kind: 'none' };

/** The root commit reached from HEAD by first parents; `none` outside a repository or before the first commit. */
async function rootCommit(dir: string): Promise<RootCommit> {
  // Both at once (a pre-commit hook waits for each git start); the roots of a shallow clone are not used.
  const [shallow, roots] = await Promise.all([
    runGit(dir, ['rev-parse', '--is-shallow-repository']).catch(() => undefined),
    runGit(dir, ['rev-list', '--first-parent', '--max-parents=0', 'HEAD', '--']).catch(() => undefined),
  ]);
  if (!shallow || shallow.code !== 0 || !roots) return { kind: 'none' };
  if (shallow.stdout.toString('utf8').trim() === 'true') return { kind: 'shallow' };
  const commit = roots.code === 0 ? roots.stdout.toString('utf8').trim().split('\n')[0] : undefined;
  return commit && /^[0-9a-f]{40,64}$/.test(commit) ? { kind: 'commit', commit } : { kind: 'none' };
}

/** `<config dir>/spillway/fingerprint.key`, 32 random bytes made on first use. */
async function userKey(env: Record<string, string | undefined>): Promise<FingerprintKey> {
  const dir = userConfigDir(env);
  const file = join(dir, 'fingerprint.key');
  try {
    return withId({ key: await readFile(file), scope: 'user', source: file });
  } catch {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // 'wx': never overwrite a key another process wrote meanwhile.
    await writeFile(file, randomBytes(32), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return withId({ key: await readFile(file), scope: 'user', source: file });
  }
}

function withId(key: Omit<FingerprintKey, 'id'>): FingerprintKey {
  return { ...key, id: fingerprintKeyId(key.key) };
}
