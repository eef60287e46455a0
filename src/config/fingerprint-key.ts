// The key for finding fingerprints: shared through SPILLWAY_FINGERPRINT_KEY, else one per user, made on first use.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const FINGERPRINT_KEY_ENV = 'SPILLWAY_FINGERPRINT_KEY';

export interface FingerprintKey {
  key: Buffer;
  /** Where it came from, for messages (never the key itself). */
  source: string;
}

/** Resolves the key: the environment variable (hex or text), else `<config dir>/spillway/fingerprint.key`. */
export async function resolveFingerprintKey(env: Record<string, string | undefined>): Promise<FingerprintKey> {
  const fromEnv = env[FINGERPRINT_KEY_ENV];
  if (fromEnv) {
    const hex = /^[0-9a-fA-F]{32,}$/.test(fromEnv) && fromEnv.length % 2 === 0;
    return { key: hex ? Buffer.from(fromEnv, 'hex') : Buffer.from(fromEnv, 'utf8'), source: `$${FINGERPRINT_KEY_ENV}` };
  }
  const dir = join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'spillway');
  const file = join(dir, 'fingerprint.key');
  try {
    return { key: await readFile(file), source: file };
  } catch {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    // 'wx': never overwrite a key another process wrote meanwhile.
    await writeFile(file, key, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return { key: await readFile(file), source: file };
  }
}
