// The checksum scheme GitHub (2021) and npm (2021) put at the end of their tokens: base62 of the CRC32 of the random part.
import { crc32 } from 'node:zlib';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 (0-9, A-Z, a-z) of a 32-bit number, left-padded with `0` to `width` characters. */
export function base62(value: number, width = 6): string {
  let out = '';
  let rest = value;
  do {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, '0');
}

/** The 6-character checksum of a token's random part. */
export function crc32Base62(random: string): string {
  return base62(crc32(random));
}

/**
 * Checks `<prefix>_<30 random><6 checksum>`: 'valid' when the checksum holds, 'invalid' when it does not,
 * 'unknown' when the token is not of that shape (another length: the scheme says nothing about it).
 */
export function checkCrc32Token(token: string, prefix: RegExp): 'valid' | 'invalid' | 'unknown' {
  const m = /^([a-z]+)_([A-Za-z0-9]{30})([A-Za-z0-9]{6})$/.exec(token);
  if (!m || !prefix.test(m[1]!)) return 'unknown';
  return crc32Base62(m[2]!) === m[3] ? 'valid' : 'invalid';
}
