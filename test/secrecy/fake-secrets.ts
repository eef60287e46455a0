// Fake credentials of well-known shapes, drawn at random per run, and lines that hold several of them.
import { randomBytes } from 'node:crypto';

export const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const BASE64ISH = `${ALNUM}+/`;
export const DIGITS = '0123456789';

/** A kind of credential: its public prefix, how its random part is drawn, and how a line assigns it. */
export interface SecretKind {
  name: string;
  /** The value from its random parts (one string per entry of `parts`). */
  value: (random: string[]) => string;
  /** Alphabet and length of each random part. */
  parts: [alphabet: string, length: number][];
  /** The text that puts the value on a line (`NAME=value`, a URL...). */
  assign: (value: string) => string;
}

const prefixed = (prefix: string) => (r: string[]) => prefix + r.join('');

export const KINDS: SecretKind[] = [
  { name: 'aws-key-id', parts: [[UPPER_DIGITS, 16]], value: prefixed('AKIA'), assign: (v) => `aws_access_key_id=${v}` },
  { name: 'aws-secret', parts: [[BASE64ISH, 40]], value: prefixed(''), assign: (v) => `aws_secret_access_key=${v}` },
  { name: 'github-pat', parts: [[ALNUM, 36]], value: prefixed('gh' + 'p_'), assign: (v) => `GH_TOKEN=${v}` },
  { name: 'slack-bot', parts: [[DIGITS, 12], [DIGITS, 13], [ALNUM, 24]], value: (r) => `xox${'b-'}${r.join('-')}`, assign: (v) => `SLACK_BOT_TOKEN=${v}` },
  { name: 'stripe', parts: [[ALNUM, 24]], value: prefixed('sk_' + 'live_'), assign: (v) => `STRIPE_KEY=${v}` },
  { name: 'npm', parts: [[ALNUM, 36]], value: prefixed('np' + 'm_'), assign: (v) => `NPM_TOKEN=${v}` },
  { name: 'postgres-password', parts: [[ALNUM, 18]], value: prefixed(''), assign: (v) => `DATABASE_URL=postgres://app:${v}@db.internal:5432/app` },
  { name: 'unmatched-token', parts: [[ALNUM, 32]], value: prefixed(''), assign: (v) => `session_cookie_seed=${v}` },
];

/** `n` random characters of `alphabet`. */
export function randomText(alphabet: string, n: number): string {
  return Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
}

/** A drawn secret: its value, and the random parts that must never be shown (a public prefix may be). */
export interface DrawnSecret {
  kind: SecretKind;
  value: string;
  random: string[];
}

/** A value of `kind` with fresh random parts. */
export function drawSecret(kind: SecretKind): DrawnSecret {
  const random = kind.parts.map(([alphabet, n]) => randomText(alphabet, n));
  return { kind, value: kind.value(random), random };
}

/** Shapes a line of assignments takes in real files, with the file name that gives each its format. */
export const LINE_SHAPES: { path: string; line: (assignments: string[], separator?: string) => string }[] = [
  { path: 'creds.txt', line: (a, sep = ' ') => a.join(sep) },
  { path: 'Dockerfile', line: (a) => `FROM alpine\nENV ${a.join(' ')}\n` },
  { path: 'config.js', line: (a) => `module.exports = { ${a.map((x) => x.replace('=', ": '") + "'").join(', ')} };\n` },
  { path: 'run.sh', line: (a, sep = ' ') => `export ${a.join(sep)}\n` },
];

/** Which of `randomParts` `text` shows 12 characters of (named by length and offset, never by value). */
export function piecesIn(text: string, randomParts: readonly string[]): string[] {
  const found: string[] = [];
  for (const part of randomParts) {
    for (let i = 0; i + 12 <= part.length; i++) {
      if (text.includes(part.slice(i, i + 12))) {
        found.push(`a ${part.length}-character random part: 12 characters from offset ${i}`);
        break;
      }
    }
  }
  return found;
}
