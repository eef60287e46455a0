// Where a leaked value lives: a tagged union of store targets (Vault KV v2, AWS Secrets Manager) and how plans name them.

/** A Vault KV v2 location: mount, path inside the mount, property. `kind` is absent in plans journaled before other stores. */
export interface VaultTarget {
  kind?: 'vault-kv2';
  mount: string;
  path: string;
  property: string;
}

/** An AWS Secrets Manager secret, and the key inside its JSON SecretString (absent: the whole string is the value). */
export interface AwsSmTarget {
  kind: 'aws-sm';
  region: string;
  /** The secret's name or ARN (ESO's remoteRef.key). */
  secretId: string;
  property?: string;
}

/** Any store remediation can rotate in. A target without `kind` is Vault KV v2 (old journals). */
export type StoreTarget = VaultTarget | AwsSmTarget;

/** The store kinds, as `kind` spells them. */
export type StoreKind = NonNullable<StoreTarget['kind']>;

/** The target's store kind, `vault-kv2` when it has none. */
export function storeKind(t: StoreTarget): StoreKind {
  return t.kind ?? 'vault-kv2';
}

/** True for a Vault KV v2 target (with or without `kind`). */
export function isVaultTarget(t: StoreTarget): t is VaultTarget {
  return storeKind(t) === 'vault-kv2';
}

/** The service's name for people: `Vault`, `AWS Secrets Manager`. */
export function storeLabel(t: StoreTarget): string {
  return isVaultTarget(t) ? 'Vault' : 'AWS Secrets Manager';
}

/** The property rotated: the JSON key, or `SecretString` for a plain AWS secret. */
export function targetProperty(t: StoreTarget): string {
  return t.property ?? 'SecretString';
}

/** The secret without the property: `mount/path` or `aws-sm:region/secretId`. */
export function secretName(t: StoreTarget): string {
  return isVaultTarget(t) ? `${t.mount}/${t.path}` : `aws-sm:${t.region}/${t.secretId}`;
}

/** `mount/path#property` (or `aws-sm:region/secretId#property`), the way plans and journals name a target. */
export function targetName(t: StoreTarget): string {
  return t.property === undefined ? secretName(t) : `${secretName(t)}#${t.property}`;
}

/**
 * Parses `--vault-path MOUNT/PATH` (the first segment is the mount, as in `vault kv get -mount`);
 * `MOUNT/data/PATH` (the API form) is accepted too. Throws a TypeError naming the option.
 */
export function parseVaultPath(value: string, property: string | undefined): VaultTarget {
  const parts = value.replace(/^\/+|\/+$/g, '').split('/').filter((p) => p.length > 0);
  if (parts.length < 2) throw new TypeError(`--vault-path: expected MOUNT/PATH (e.g. apps-prod/team/app/api-config), got "${value}"`);
  if (!property) throw new TypeError('--property: required with --vault-path (the key inside the Vault secret)');
  const [mount, ...rest] = parts as [string, ...string[]];
  const path = rest[0] === 'data' && rest.length > 1 ? rest.slice(1) : rest;
  return { mount, path: path.join('/'), property };
}

/** `--aws-secret NAME|ARN` with `--property` (optional) and the region (`--aws-region`, the ARN's, or the environment's). */
export function parseAwsSecret(value: string, property: string | undefined, region: string | undefined): AwsSmTarget {
  const id = value.trim();
  if (!id) throw new TypeError('--aws-secret: expected a secret name or ARN');
  const arnRegion = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(id)?.[1];
  const r = region || arnRegion;
  if (!r) throw new TypeError('--aws-region: required with --aws-secret (or set AWS_REGION / AWS_DEFAULT_REGION, or give an ARN)');
  const t: AwsSmTarget = { kind: 'aws-sm', region: r, secretId: id };
  if (property) t.property = property;
  return t;
}
