// What of a server's own words spillway repeats: one short line, credentials and value-like strings masked.
import { stripCredentials } from '../remediate/errors.js';

/** Longest server message repeated in an error, a journal or a note. */
export const MAX_SERVER_TEXT = 200;

/**
 * A server message (an error string from its JSON, a status line) made safe to show: credentials this process
 * holds and Authorization-like pairs removed, any token-like run (16+ letters, digits, `+=_-~` with both a letter
 * and a digit) masked, control characters dropped, cut to one line of MAX_SERVER_TEXT characters. A server may
 * echo the request (a new value, a token) into its error: none of it must reach stderr or the journal.
 */
export function serverText(text: string): string {
  const line = stripCredentials(text)
    .replace(/[A-Za-z0-9+=_~-]{16,}/g, (run) => (/[0-9]/.test(run) && /[A-Za-z]/.test(run) ? '[REDACTED]' : run))
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim();
  return line.length > MAX_SERVER_TEXT ? `${line.slice(0, MAX_SERVER_TEXT)}…` : line;
}
