// A Vault KV v2 location of one secret value: mount, path inside the mount, property.

/** Where the leaked value lives in Vault. */
export interface VaultTarget {
  mount: string;
  path: string;
  property: string;
}

/** `mount/path#property`, the way plans and journals name a target. */
export function targetName(t: VaultTarget): string {
  return `${t.mount}/${t.path}#${t.property}`;
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
