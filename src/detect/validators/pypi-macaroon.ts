// Validator for PyPI API tokens: `pypi-` + base64url of a version 2 binary macaroon issued by pypi.org or test.pypi.org.
import type { ValidatorResult } from './index.js';

const EOS = 0;
const LOCATION = 1;
const IDENTIFIER = 2;
const VID = 4;
const SIGNATURE = 6;

/** A cursor over the macaroon's bytes; every read returns undefined past the end. */
class Reader {
  #at = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.#at >= this.bytes.length;
  }

  peek(): number | undefined {
    return this.bytes[this.#at];
  }

  varint(): number | undefined {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.bytes[this.#at++];
      if (b === undefined) return undefined;
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    return undefined;
  }

  /** One field: its type and data, or undefined when it runs past the end. EOS has no data. */
  field(): { type: number; data: Uint8Array } | undefined {
    const type = this.varint();
    if (type === undefined) return undefined;
    if (type === EOS) return { type, data: new Uint8Array() };
    const length = this.varint();
    if (length === undefined || this.#at + length > this.bytes.length) return undefined;
    const data = this.bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    return { type, data };
  }
}

/** Parses one section (the macaroon header or a caveat) up to its EOS; false when malformed. */
function section(r: Reader, allowed: number[]): boolean {
  let hasIdentifier = false;
  for (;;) {
    const f = r.field();
    if (!f) return false;
    if (f.type === EOS) return hasIdentifier;
    if (!allowed.includes(f.type)) return false;
    if (f.type === IDENTIFIER) hasIdentifier = true;
  }
}

/**
 * 'valid' when the token decodes to a complete v2 macaroon located at (test.)pypi.org with a 32-byte signature;
 * 'invalid' when it does not; 'unknown' when it is not a `pypi-` token at all.
 * Format: https://github.com/rescrv/libmacaroons/blob/master/doc/format.txt (v2 binary).
 */
export function pypiMacaroon(secret: string): ValidatorResult {
  if (!secret.startsWith('pypi-')) return 'unknown';
  const body = secret.slice('pypi-'.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return 'invalid';
  const r = new Reader(Buffer.from(body, 'base64url'));
  if (r.varint() !== 2) return 'invalid';
  const location = r.field();
  if (!location || location.type !== LOCATION) return 'invalid';
  const host = Buffer.from(location.data).toString('latin1');
  if (host !== 'pypi.org' && host !== 'test.pypi.org') return 'invalid';
  if (!section(r, [IDENTIFIER])) return 'invalid';
  while (r.peek() !== EOS) {
    if (r.done || !section(r, [LOCATION, IDENTIFIER, VID])) return 'invalid';
  }
  r.field();
  const signature = r.field();
  return signature?.type === SIGNATURE && signature.data.length === 32 && r.done ? 'valid' : 'invalid';
}
