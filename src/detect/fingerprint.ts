// Finding fingerprints: stable across runs and line shifts, and no way back to a short secret without the key.
import { createHmac } from 'node:crypto';

/** `<ruleId>:<path>:<32 hex of HMAC-SHA256(key, secret)>`. */
export function fingerprint(key: Buffer, ruleId: string, path: string, secret: string): string {
  return `${ruleId}:${path}:${secretHash(key, secret)}`;
}

/** The keyed hash of a secret alone (used to match the same secret across places). */
export function secretHash(key: Buffer, secret: string): string {
  return createHmac('sha256', key).update(secret, 'utf8').digest('hex').slice(0, 32);
}
