// Ciphertext that is safe in git (SOPS values, Ansible Vault blobs): blanked before any rule sees the text.

/** A SOPS-encrypted value: `ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]` (also comments, `type:comment`). */
export const SOPS_VALUE = /ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]*,tag:[A-Za-z0-9+/=]*,type:[a-z]*\]/g;

/** An Ansible Vault blob, whole file or inline (`!vault |`): the header line and the hex lines under it. */
const ANSIBLE_VAULT = /\$ANSIBLE_VAULT;\d+\.\d+;[A-Z0-9_]+(?:;[^\r\n]*)?(?:\r?\n[ \t]*[0-9a-fA-F]+)+/g;

/** True when the whole of `value` is one SOPS-encrypted value. */
export function isSopsValue(value: string): boolean {
  return /^ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]*,tag:[A-Za-z0-9+/=]*,type:[a-z]*\]$/.test(value);
}

/**
 * `text` with SOPS values and Ansible Vault blobs replaced by spaces: lines and columns stay those of the file,
 * and a YAML or JSON file stays parseable (an encrypted value becomes an empty one).
 */
export function maskCiphertext(text: string): string {
  if (!text.includes('ENC[AES256_GCM,') && !text.includes('$ANSIBLE_VAULT;')) return text;
  return text.replace(SOPS_VALUE, blank).replace(ANSIBLE_VAULT, blank);
}

/** `text` with each [from, to) range of offsets blanked, newlines kept. */
export function blankRanges(text: string, ranges: readonly (readonly [number, number])[]): string {
  const chars = text.split('');
  for (const [from, to] of ranges) {
    for (let i = from; i < to && i < chars.length; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
  }
  return chars.join('');
}

function blank(span: string): string {
  return span.replace(/[^\r\n]/g, ' ');
}
