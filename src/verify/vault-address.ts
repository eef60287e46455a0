// Where a Vault token may be checked: the user's own VAULT_ADDR, never an address written in scanned content.

/**
 * The Vault base URL for a token finding, from spillway's environment only: an address written next to the token or
 * in its file is the scanned repository's to choose, and sending the token there would hand it to whoever wrote it.
 * Plain http is accepted only with --allow-internal; the SSRF guard still applies.
 */
export function vaultBase(env: Record<string, string | undefined>, allowInternal: boolean): URL | string {
  const raw = env.VAULT_ADDR;
  if (raw === undefined || raw === '') return 'no VAULT_ADDR in the environment (an address written in scanned files is not used)';
  let base: URL;
  try {
    base = new URL(raw);
  } catch {
    return 'VAULT_ADDR is not a URL';
  }
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && allowInternal)) return `VAULT_ADDR ${base.host} is not https (plain http only with --allow-internal)`;
  if (base.username !== '' || base.password !== '') return 'VAULT_ADDR carries credentials';
  return new URL(base.origin);
}
