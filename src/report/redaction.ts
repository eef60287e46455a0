// What a report may show of a secret: its display form, and the source line with every copy of it redacted.
import type { Finding } from '../types.js';

/** Longest snippet a report shows, in UTF-16 code units, unless the shown secret alone is longer. */
export const SNIPPET_MAX = 200;

/** `text` with every occurrence of the finding's secret replaced by its display form. */
export function redactText(text: string, finding: Finding, showSecrets: boolean): string {
  const value = finding.secret.reveal();
  if (showSecrets || value === '') return text;
  return text.split(value).join(finding.secret.redacted());
}

/** Cuts `text` to about SNIPPET_MAX code units around [start, end), marking each cut with an ellipsis. */
function windowAround(text: string, start: number, end: number): string {
  if (text.length <= SNIPPET_MAX) return text;
  const size = Math.max(SNIPPET_MAX, end - start);
  let to = Math.min(text.length, Math.max(0, start - Math.floor((size - (end - start)) / 2)) + size);
  let from = Math.max(0, to - size);
  if (from > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(from))) from += 1;
  if (to < text.length && /[\uD800-\uDBFF]/.test(text.charAt(to - 1))) to -= 1;
  return (from > 0 ? '…' : '') + text.slice(from, to) + (to < text.length ? '…' : '');
}

/**
 * The finding's source line(s) as a report shows them: every copy of the secret replaced by its display
 * form, cut to about SNIPPET_MAX code units around the first one. (For a base64-decoded finding the line is
 * the decoded text, as the detector gives it.) A line without the secret in it (a path-only rule, where the
 * file's name is the finding) is shown only with `showSecrets`: nothing tells what in it is secret.
 */
export function snippetOf(finding: Finding, showSecrets: boolean): string {
  const value = finding.secret.reveal();
  const shown = finding.secret.display(showSecrets);
  const line = finding.line.reveal();
  const parts = value === '' ? [line] : line.split(value);
  if (parts.length === 1) return showSecrets ? windowAround(line, 0, 0) : '';
  const at = parts[0]!.length;
  return windowAround(parts.join(shown), at, at + shown.length);
}
