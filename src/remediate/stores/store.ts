// The secret-store seam: what remediation's core needs of a store, whatever the store (Vault KV v2, AWS Secrets Manager).
import type { Secret } from '../../secret.js';
import type { StoreKind, StoreTarget } from '../target.js';

/** A store's version id: Vault's version number, AWS's VersionId. */
export type StoreVersion = number | string;

/** One version of a secret: its id and every key's value (a plain AWS secret has the one key `SecretString`). */
export interface StoreRead {
  version: StoreVersion;
  values: Map<string, Secret>;
}

/** The outcome of a write (a rotation or a rollback), as journaled. */
export interface Rotation {
  oldVersion: StoreVersion;
  newVersion: StoreVersion;
  recovered?: boolean;
}

/**
 * What the journal holds before a write: the version read (the precondition) and whatever the store needs to tell
 * afterwards whether the write landed (AWS: the ClientRequestToken, which becomes the new VersionId).
 */
export interface WriteIntent extends Record<string, unknown> {
  readVersion: StoreVersion;
}

/** A store adapter. Errors are the typed adapter errors (../errors.ts), never with a credential or a value. */
export interface SecretStore {
  readonly kind: StoreKind;
  /** Reads the current version of the target's secret, or version `version`. */
  read(target: StoreTarget, version?: StoreVersion): Promise<StoreRead>;
  /** The version the store serves now (Vault: current_version; AWS: the version labelled AWSCURRENT). */
  currentVersion(target: StoreTarget): Promise<StoreVersion>;
  /** A fresh intent for a write from version `readVersion`: journal it before calling write. */
  intent(readVersion: StoreVersion): WriteIntent;
  /**
   * Sets the target's property (only that key; the others stay) to `value`, provided the secret is still at
   * `intent.readVersion` (Vault: cas; AWS: AWSCURRENT checked, then PutSecretValue with the intent's token). Returns the new version.
   */
  write(target: StoreTarget, value: Secret, intent: WriteIntent): Promise<StoreVersion>;
  /**
   * After a run died between a journaled intent and its done line: did that write land? The rotation if it did,
   * undefined if it did not; throws Conflict when the secret moved in some other way. `expect` is the value the write
   * set, when known (a rollback's restored value).
   */
  reconcile(target: StoreTarget, intent: WriteIntent, expect?: Secret): Promise<Rotation | undefined>;
  /** A shell command a person can run to look at the secret's versions (for messages). */
  inspectCommand(target: StoreTarget): string;
}
