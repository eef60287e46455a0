// The built-in filter for values that only look like secrets: placeholders, templates and references.

const PLACEHOLDER_MARKERS = [
  'example', 'changeme', 'change_me', 'placeholder', 'your_', 'your-', '<your', 'redacted', 'dummy',
  'xxxx', '****', '${', '{{', '$(', '%(', 'process.env', 'os.environ', 'os.getenv', 'secretkeyref',
];

// A key file's framing: PEM armour and headers (Proc-Type, DEK-Info, Comment), PuTTY's `Name: value` lines. A header
// ends at a line break or at an escaped one (`\n` in a JSON string).
const KEY_FRAME = /-{4,5} ?(?:BEGIN|END) [A-Z0-9 ]+?-{4,5}|(?:Proc-Type|DEK-Info|Comment|Subject|Encryption|Public-Lines|Private-Lines|Private-MAC|PuTTY-User-Key-File-[0-9]+|Key-Derivation|Argon2-[A-Za-z]+): [^\r\n\\]*/g;

/** The material of a key block (its base64 lines), or the whole value when it is not a key block. */
function keyMaterial(secret: string): string {
  if (!/^\s*(?:-{4,5} ?BEGIN |PuTTY-User-Key-File-)/.test(secret)) return secret;
  return secret.replace(KEY_FRAME, '');
}

/**
 * True when `secret` is a placeholder, a template or variable reference, or too uniform to be a key (fewer than four
 * distinct characters; fewer than three in a value of 6 to 8, where `banana` or `rootroot` are weak passwords, not
 * fillers). In a key block only the key material counts: a comment saying `dummy-key` does not make the key a placeholder.
 */
export function isPlaceholder(secret: string): boolean {
  const value = keyMaterial(secret);
  const lower = value.toLowerCase();
  if (PLACEHOLDER_MARKERS.some((m) => lower.includes(m))) return true;
  if (value.length > 2 && value.startsWith('<') && value.endsWith('>')) return true;
  const distinct = new Set(lower).size;
  return distinct < 3 || (distinct === 3 && (value.length < 6 || value.length > 8));
}
