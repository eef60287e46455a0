// What a report may show of a secret: its display form, and the source line with every copy of it redacted.
import { redact } from '../secret.js';
import type { Finding, Location } from '../types.js';

/** Longest snippet a report shows, in UTF-16 code units, unless the shown secret alone is longer. */
export const SNIPPET_MAX = 200;

/** `text` with every occurrence of the finding's secret replaced by its display form. */
export function redactText(text: string, finding: Finding, showSecrets: boolean): string {
  const value = finding.secret.reveal();
  if (showSecrets || value === '') return text;
  return text.split(value).join(finding.secret.redacted());
}

interface Span {
  text: string;
  start: number;
  end: number;
}

/**
 * For a base64-decoded finding the line holds the encoded value, which is as good as the secret: redact the
 * span the location points at (on the first line of `line`) when it lies inside the line.
 */
function redactEncodedSpan(line: string, location: Location): Span | undefined {
  const firstLineEnd = line.search(/\r?\n/);
  const firstLength = firstLineEnd < 0 ? line.length : firstLineEnd;
  const start = location.startColumn - 1;
  const end = location.endLine === location.startLine ? location.endColumn - 1 : firstLength;
  if (start < 0 || end <= start || end > firstLength) return undefined;
  const shown = redact(line.slice(start, end));
  return { text: line.slice(0, start) + shown + line.slice(end), start, end: start + shown.length };
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
 * form (and, for decoded findings, the encoded value redacted too), cut to about SNIPPET_MAX code units
 * around the secret.
 */
export function snippetOf(finding: Finding, showSecrets: boolean): string {
  let span: Span = { text: finding.line, start: -1, end: -1 };
  if (!showSecrets && finding.decodedFrom) span = redactEncodedSpan(finding.line, finding.location) ?? span;
  const value = finding.secret.reveal();
  const shown = finding.secret.display(showSecrets);
  const parts = value === '' ? [span.text] : span.text.split(value);
  const text = parts.join(shown);
  if (parts.length > 1) {
    const at = parts[0]!.length;
    return windowAround(text, at, at + shown.length);
  }
  if (span.start >= 0) return windowAround(text, span.start, span.end);
  const column = Math.min(Math.max(0, finding.location.startColumn - 1), text.length);
  return windowAround(text, column, column);
}
