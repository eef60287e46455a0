// Where a Vault token may be checked: the VAULT_ADDR written next to it, else the user's own VAULT_ADDR.
import type { Finding } from '../types.js';

const VAULT_ADDR = /VAULT_ADDR["']?\s*(?:=|:=|:)\s*["']?(https?:\/\/[^\s"'`,;)]+)/;

/** The VAULT_ADDR assigned in `text` (the finding's lines or its file), if any. */
export function vaultAddrIn(text: string): string | undefined {
  return VAULT_ADDR.exec(text)?.[1];
}

/**
 * The Vault base URL for a token finding. An address in scanned text is untrusted: the SSRF guard still applies to it,
 * and plain http is accepted only with --allow-internal (a token is never sent in clear text to a public host).
 */
export function vaultBase(finding: Finding, fileText: string | undefined, env: Record<string, string | undefined>, allowInternal: boolean): URL | string {
  const raw = vaultAddrIn(finding.line.reveal()) ?? (fileText !== undefined ? vaultAddrIn(fileText) : undefined) ?? env.VAULT_ADDR;
  if (raw === undefined || raw === '') return 'no VAULT_ADDR next to the token or in the environment';
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
