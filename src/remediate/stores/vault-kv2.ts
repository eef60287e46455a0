// Vault KV v2 as a SecretStore: read a version, PATCH one property with cas, reconcile by version metadata.
import type { Secret } from '../../secret.js';
import { Conflict } from '../errors.js';
import { isVaultTarget, targetName, type StoreTarget, type VaultTarget } from '../target.js';
import type { KvStore } from '../vault/client.js';
import type { Rotation, SecretStore, StoreRead, StoreVersion, WriteIntent } from './store.js';

function vaultTarget(t: StoreTarget): VaultTarget {
  if (!isVaultTarget(t)) throw new TypeError(`vault: ${targetName(t)} is not a Vault KV v2 target`);
  return t;
}

/**
 * After a run died between the Vault write and its journal line: decides from Vault's metadata whether the
 * write happened. Returns the rotation if it did, undefined if it did not; throws Conflict if Vault moved otherwise.
 */
export async function reconcileWrite(vault: KvStore, target: VaultTarget, readVersion: number, expectOld?: Secret): Promise<Rotation | undefined> {
  const meta = await vault.metadata(target.mount, target.path);
  if (meta.currentVersion === readVersion) return undefined;
  if (meta.currentVersion === readVersion + 1) {
    const [before, after] = await Promise.all([vault.read(target.mount, target.path, readVersion), vault.read(target.mount, target.path, readVersion + 1)]);
    const keys = new Set([...before.values.keys(), ...after.values.keys()]);
    const othersSame = [...keys].filter((k) => k !== target.property).every((k) => before.values.get(k)?.reveal() === after.values.get(k)?.reveal());
    const oldValue = before.values.get(target.property);
    const newValue = after.values.get(target.property);
    const changed = oldValue !== undefined && newValue !== undefined && !newValue.equals(oldValue);
    const matches = expectOld === undefined || newValue?.equals(expectOld) === true;
    if (othersSame && (expectOld === undefined ? changed : matches)) return { oldVersion: readVersion, newVersion: readVersion + 1, recovered: true };
  }
  throw new Conflict(
    `vault: ${targetName(target)} is at version ${meta.currentVersion}, but the unfinished write in the journal started from version ${readVersion} and version ${readVersion + 1} is not that write alone: someone else changed it. Not writing again; check \`vault kv metadata get -mount=${target.mount} ${target.path}\``,
    { service: 'vault' },
  );
}

/** The Vault KV v2 adapter over a KvStore (the HTTP client, or a test double). */
export class VaultKv2Store implements SecretStore {
  readonly kind = 'vault-kv2' as const;
  readonly vault: KvStore;

  /** `vault` retries on its own (connectVault gives a retryingKvStore): this adapter adds no second layer. */
  constructor(vault: KvStore) {
    this.vault = vault;
  }

  read(target: StoreTarget, version?: StoreVersion): Promise<StoreRead> {
    const t = vaultTarget(target);
    return this.vault.read(t.mount, t.path, version === undefined ? undefined : Number(version));
  }

  async currentVersion(target: StoreTarget): Promise<StoreVersion> {
    const t = vaultTarget(target);
    return (await this.vault.metadata(t.mount, t.path)).currentVersion;
  }

  intent(readVersion: StoreVersion): WriteIntent {
    return { readVersion };
  }

  write(target: StoreTarget, value: Secret, intent: WriteIntent): Promise<StoreVersion> {
    const t = vaultTarget(target);
    return this.vault.patch(t.mount, t.path, { [t.property]: value }, Number(intent.readVersion));
  }

  reconcile(target: StoreTarget, intent: WriteIntent, expect?: Secret): Promise<Rotation | undefined> {
    return reconcileWrite(this.vault, vaultTarget(target), Number(intent.readVersion), expect);
  }

  inspectCommand(target: StoreTarget): string {
    const t = vaultTarget(target);
    return `vault kv metadata get -mount=${t.mount} ${t.path}`;
  }
}
