// Validator for the `auth` field of a Docker config.json: base64 of `username:password`.
import type { ValidatorResult } from './index.js';

/** 'invalid' unless the value decodes to printable `user:password` with both parts non-empty; else 'unknown'. */
export function dockerAuth(secret: string): ValidatorResult {
  const decoded = Buffer.from(secret, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const printable = /^[\x20-\x7e]+$/.test(decoded);
  return printable && colon > 0 && colon < decoded.length - 1 ? 'unknown' : 'invalid';
}
