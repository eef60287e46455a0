// Decides whether blob bytes are text worth scanning, and decodes them.

/** Bytes inspected for a NUL, as git does to call a file binary. */
const SNIFF = 8000;

/** True when the content looks binary (a NUL byte near the start, as git judges it). */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, SNIFF).includes(0);
}

/** UTF-8 text of a blob, without a byte-order mark; invalid bytes become U+FFFD. */
export function blobText(content: Buffer): string {
  const text = content.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
