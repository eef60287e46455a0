// Spans of text that look like credentials although no rule reported them: reports mask these in snippets.
import RE2 from 're2';
import { shannonEntropy } from './entropy.js';

/** `scheme://user:PASSWORD@`: the password part. */
const URL_PASSWORD = new RE2('[A-Za-z][A-Za-z0-9+.-]*://[^\\s:@/]*:([^\\s@/]+)@', 'g');
/** A value assigned to a name that says it is secret (`password: …`, `STRIPE_KEY=…`, `"token": "…"`). */
const SECRET_ASSIGNMENT = new RE2(
  `(?:pass(?:word|wd|phrase)?|pwd|secret|token|key|auth|credentials?|cookie|session)[A-Za-z0-9_.-]*["']?\\s*(?::=|=>|[:=])\\s*["']?([^\\s"'\`,;]{4,})`,
  'gi',
);
/** A long run of token characters: masked when it is random-looking. */
const TOKEN_RUN = new RE2('[A-Za-z0-9+/_.~-]{20,}={0,2}', 'g');
const MIN_TOKEN_ENTROPY = 3.5;
/** Prefixes that vendors put on their tokens: a run that starts with one is masked whatever its entropy. */
const VENDOR_PREFIX = /^(?:gh[pousr]_|github_pat_|glpat-|npm_|pypi-|xox[abpoers]-|[rs]k_(?:live|test)_|A[KS]IA|AIza|ya29\.|hf_|shp(?:at|ss|ca|pa)_|dop_v1_|sl\.)/;

/**
 * Spans [start, end) of `text` that look like credentials: URL passwords, values assigned to
 * secret-sounding names, long random-looking tokens (letters and digits, entropy >= 3.5 bits) and long
 * tokens with a vendor's prefix (`ghp_`, `xoxb-`, `AKIA`…).
 * NOTE: deliberately eager; a masked non-secret costs a snippet some context, a missed one leaks.
 */
export function valueLikeSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const re of [URL_PASSWORD, SECRET_ASSIGNMENT]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const value = m[1]!;
      const start = m.index + m[0].lastIndexOf(value);
      if (!isReference(value)) spans.push([start, start + value.length]);
    }
  }
  TOKEN_RUN.lastIndex = 0;
  for (let m = TOKEN_RUN.exec(text); m !== null; m = TOKEN_RUN.exec(text)) {
    const run = m[0];
    const randomLooking = /[0-9]/.test(run) && /[A-Za-z]/.test(run) && shannonEntropy(run) >= MIN_TOKEN_ENTROPY;
    if (randomLooking || VENDOR_PREFIX.test(run)) spans.push([m.index, m.index + run.length]);
  }
  return spans;
}

/** `${VAR}`, `$(cmd)`, `{{ x }}`, `<placeholder>`: names of a value, not a value. */
function isReference(value: string): boolean {
  return /^(?:\$\{|\$\(|\{\{|<|%\(|\$[A-Za-z_])/.test(value);
}
