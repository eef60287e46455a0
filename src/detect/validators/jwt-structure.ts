// Validator for JSON Web Tokens: header and claims must decode to JSON objects, the header naming an algorithm.
import type { ValidatorResult } from './index.js';

function jsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 'invalid' when a three-part token's header or claims do not decode to JSON objects or the header has no `alg`
 * (a base64 look-alike, not a JWT); otherwise 'unknown': the signature cannot be checked without the key.
 */
export function jwtStructure(secret: string): ValidatorResult {
  const parts = secret.split('.');
  if (parts.length !== 3) return 'invalid';
  const header = jsonObject(parts[0]!);
  if (!header || typeof header.alg !== 'string' || !jsonObject(parts[1]!)) return 'invalid';
  return 'unknown';
}
