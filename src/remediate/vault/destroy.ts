// --destroy-leaked-version: after the rotation, destroys the KV v2 versions that held the leaked value, so no one can read it back.
import { createHash } from 'node:crypto';
import type { Secret } from '../../secret.js';
import { NotFound } from '../errors.js';
import type { Journal } from '../journal.js';
import type { StoreVersion } from '../stores/store.js';
import { isVaultTarget, targetName, type StoreTarget, type VaultTarget } from '../target.js';
import type { KvStore } from './client.js';

/** The step name in the journal. */
export const DESTROY_STEP = 'destroy';

/** What the destroy step found and did (numbers only: never a value or its hash). */
export interface Destroyed {
  versions: number[];
  /** Versions that are soft-deleted: their value cannot be read to compare, so they were left alone. */
  unreadable: number[];
  recovered?: boolean;
}

function digest(value: Secret): string {
  return createHash('sha256').update(value.reveal()).digest('hex');
}

/**
 * The versions before `newVersion` whose `property` holds the same value as version `oldVersion` (the value the
 * rotation replaced), compared by SHA-256 in memory; already destroyed versions are skipped.
 */
export async function leakedVersions(vault: KvStore, target: VaultTarget, oldVersion: number, newVersion: number): Promise<{ versions: number[]; unreadable: number[] }> {
  const old = (await vault.read(target.mount, target.path, oldVersion)).values.get(target.property);
  if (!old) throw new Error(`vault: version ${oldVersion} of ${target.mount}/${target.path} has no "${target.property}": cannot tell which versions held the leaked value`);
  const leaked = digest(old);
  const meta = await vault.metadata(target.mount, target.path);
  const versions: number[] = [];
  const unreadable: number[] = [];
  for (const [n, info] of [...meta.versions].sort(([a], [b]) => a - b)) {
    if (n >= newVersion || info.destroyed) continue;
    try {
      const value = (await vault.read(target.mount, target.path, n)).values.get(target.property);
      if (value && digest(value) === leaked) versions.push(n);
    } catch (err) {
      if (!(err instanceof NotFound)) throw err;
      unreadable.push(n);
    }
  }
  return { versions, unreadable };
}

/**
 * Destroys the leaked versions, journaled as step `destroy`: intent (the version numbers) before the request, done
 * after. Destroying is idempotent in Vault, so a run killed in between sends the same versions again.
 */
export async function destroyLeakedVersions(vault: KvStore, target: VaultTarget, rotation: { oldVersion: number; newVersion: number }, journal: Journal, log: (line: string) => void): Promise<Destroyed> {
  const done = journal.done(DESTROY_STEP);
  if (done) {
    const d = done.data as unknown as Destroyed;
    log(`destroy: already done (versions ${d.versions.join(', ') || 'none'})`);
    return d;
  }
  try {
    const intent = journal.pendingIntent(DESTROY_STEP)?.data as unknown as Destroyed | undefined;
    const found = intent ?? (await leakedVersions(vault, target, rotation.oldVersion, rotation.newVersion));
    if (found.versions.some((n) => n >= rotation.newVersion)) throw new Error(`destroy: refusing to destroy version ${rotation.newVersion} or later of ${targetName(target)} (the rotated value)`);
    if (!intent) journal.append(DESTROY_STEP, 'intent', { versions: found.versions, unreadable: found.unreadable });
    if (found.versions.length > 0) await vault.destroy(target.mount, target.path, found.versions);
    const result: Destroyed = { versions: found.versions, unreadable: found.unreadable, ...(intent ? { recovered: true } : {}) };
    journal.append(DESTROY_STEP, 'done', { ...result });
    const left = found.unreadable.length > 0 ? `; soft-deleted version(s) ${found.unreadable.join(', ')} could not be compared (destroy them by hand if they held it)` : '';
    log(`destroy: ${found.versions.length > 0 ? `destroyed version(s) ${found.versions.join(', ')} of ${targetName(target)}` : `no version of ${targetName(target)} before ${rotation.newVersion} holds the leaked value`}${left}`);
    return result;
  } catch (err) {
    journal.append(DESTROY_STEP, 'failed', undefined, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/**
 * Throws when the journal says version `version` was destroyed (Vault) or deprecated (AWS), or may have been: a
 * rollback cannot bring it back.
 */
export function refuseDestroyedRollback(journal: Journal, target: StoreTarget, version: StoreVersion): void {
  const entry = journal.done(DESTROY_STEP) ?? journal.pendingIntent(DESTROY_STEP);
  const versions = ((entry?.data?.versions as StoreVersion[] | undefined) ?? []).map(String);
  if (!entry || !versions.includes(String(version))) return;
  const how = isVaultTarget(target) ? 'destroyed' : 'deprecated (its staging labels removed)';
  const again = isVaultTarget(target) ? '--vault-path/--property' : '--aws-secret/--property';
  throw new Error(
    `rollback: version ${version} of ${targetName(target)} held the leaked value and was ${how} on ${entry.at} (--destroy-leaked-version): it cannot be brought back. To replace the new value, rotate again (${again} with --generator or --value-stdin)`,
  );
}
