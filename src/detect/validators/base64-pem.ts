// Validator for a PEM block stored base64-encoded: it must decode to a private key's PEM header.
import type { ValidatorResult } from './index.js';

/** 'invalid' unless the base64 value decodes to text holding `-----BEGIN ... PRIVATE KEY-----`; else 'unknown'. */
export function base64PemPrivateKey(secret: string): ValidatorResult {
  const decoded = Buffer.from(secret.slice(0, 120), 'base64').toString('latin1');
  return /^-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/.test(decoded) ? 'unknown' : 'invalid';
}
