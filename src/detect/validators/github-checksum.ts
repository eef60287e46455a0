// Validator for GitHub's 2021 token format (ghp_, gho_, ghu_, ghs_, ghr_): the last 6 characters are a CRC32 checksum.
import { checkCrc32Token } from './crc32-base62.js';
import type { ValidatorResult } from './index.js';

/**
 * GitHub tokens are `<prefix>_` + 30 random base62 characters + base62(CRC32(random)) padded to 6.
 * See https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/.
 * Other lengths (e.g. 76-character refresh tokens) are 'unknown'.
 */
export function githubChecksum(secret: string): ValidatorResult {
  return checkCrc32Token(secret, /^gh[pousr]$/);
}
