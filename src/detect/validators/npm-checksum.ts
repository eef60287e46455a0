// Validator for npm's 2021 access token format (npm_): the last 6 characters are a CRC32 checksum, as in GitHub's.
import { checkCrc32Token } from './crc32-base62.js';
import type { ValidatorResult } from './index.js';

/**
 * npm tokens are `npm_` + 30 random base62 characters + base62(CRC32(random)) padded to 6.
 * See https://github.blog/2021-09-23-announcing-npms-new-access-token-format/.
 */
export function npmChecksum(secret: string): ValidatorResult {
  return checkCrc32Token(secret, /^npm$/);
}
