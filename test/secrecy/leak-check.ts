// Shared by the secrecy tests: every form in which a known secret could slip into bytes spillway writes.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The value whole and encoded: base64 (standard and URL-safe), URL-encoded, JSON-escaped, hex (either case). */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value);
  const hex = bytes.toString('hex');
  return [...new Set([value, bytes.toString('base64'), bytes.toString('base64url'), encodeURIComponent(value), JSON.stringify(value).slice(1, -1), hex, hex.toUpperCase()])];
}

/** Every way `text` reveals one of `secrets`: an encoded form, or any 16-character piece of the value. */
export function leaksIn(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (const form of encodedForms(secret)) if (text.includes(form)) found.push(`${secret.slice(0, 4)}… as ${form === secret ? 'itself' : 'an encoding'}`);
    for (let i = 0; i + 16 <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + 16))) {
        found.push(`${secret.slice(0, 4)}…: 16 characters from offset ${i}`);
        break;
      }
    }
  }
  return found;
}

/** Every file and folder under `dir` with its size and mode, to show a run left a tree unchanged. */
export function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => {
      const path = join(e.parentPath, e.name);
      const st = statSync(path, { throwIfNoEntry: false });
      return `${relative(dir, path)} ${st?.size ?? '?'} ${(st?.mode ?? 0).toString(8)} ${st?.mtimeMs ?? '?'}`;
    })
    .sort();
}

/** The permission bits of `path`, e.g. 0o600. */
export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}
