// Text from scanned files is untrusted: escape what a terminal would act on (ANSI escapes, bidi overrides).

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_OR_BREAK = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\t') return '\\t';
  if (ch === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * `text` safe to print on a terminal: control characters, DEL, C1 controls and bidirectional overrides
 * become visible escapes (`\x1b`, `\u{202e}`). With `multiline`, line feeds and tabs are kept.
 */
export function printable(text: string, multiline = false): string {
  return text.replace(multiline ? CONTROL : CONTROL_OR_BREAK, escape);
}
