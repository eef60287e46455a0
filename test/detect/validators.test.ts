// Offline validators: checksums and structure checks computed on tokens built here (CRC vectors from Python's zlib).
import { describe, expect, test } from 'vitest';
import { base62, crc32Base62 } from '../../src/detect/validators/crc32-base62.js';
import { validators } from '../../src/detect/validators/index.js';

// Random parts of fake tokens, with their checksums as computed independently by Python (zlib.crc32 + base62).
const RANDOM_A = 'Kp3vR8sWq2LmZt6YhN4cXb7JdF9gQa';
const CHECK_A = '2oughr';
const RANDOM_B = 'a7rT2kQw9ZsLm4XcVb8NpHy3JdGf6E'; // its checksum has a leading zero
const CHECK_B = '0b6e9I';

const flipLast = (s: string): string => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');

describe('crc32-base62', () => {
  test('base62 pads to six digits in 0-9A-Za-z order', () => {
    expect(base62(0)).toBe('000000');
    expect(base62(61)).toBe('00000z');
    expect(base62(62)).toBe('000010');
    expect(base62(0xffffffff)).toBe('4gfFC3');
  });

  test('checksum of the CRC-32 check string and of token parts', () => {
    expect(crc32Base62('123456789')).toBe('3jZRME'); // CRC-32 check value 0xCBF43926
    expect(crc32Base62(RANDOM_A)).toBe(CHECK_A);
    expect(crc32Base62(RANDOM_B)).toBe(CHECK_B);
  });
});

describe('github-checksum', () => {
  const check = validators['github-checksum']!;

  test.each(['ghp', 'gho', 'ghu', 'ghs', 'ghr'])('%s_ token with a good checksum is valid', (prefix) => {
    expect(check(`${prefix}_` + RANDOM_A + CHECK_A)).toBe('valid');
    expect(check(`${prefix}_` + RANDOM_B + CHECK_B)).toBe('valid');
  });

  test('a changed checksum or random part is invalid', () => {
    expect(check('ghp_' + RANDOM_A + flipLast(CHECK_A))).toBe('invalid');
    expect(check('ghp_' + flipLast(RANDOM_A) + CHECK_A)).toBe('invalid');
    expect(check('ghp_' + RANDOM_A + CHECK_B)).toBe('invalid');
  });

  test('other shapes are unknown, not invalid', () => {
    expect(check('ghr_' + RANDOM_A + RANDOM_B + RANDOM_A.slice(0, 16))).toBe('unknown'); // 76-character refresh token
    expect(check('github_pat_' + RANDOM_A + CHECK_A)).toBe('unknown');
    expect(check('npm_' + RANDOM_A + CHECK_A)).toBe('unknown');
    expect(check('ghp_' + RANDOM_A)).toBe('unknown');
  });
});

describe('npm-checksum', () => {
  const check = validators['npm-checksum']!;

  test('npm_ tokens use the same scheme', () => {
    expect(check('npm_' + RANDOM_A + CHECK_A)).toBe('valid');
    expect(check('npm_' + RANDOM_B + CHECK_B)).toBe('valid');
    expect(check('npm_' + RANDOM_B + flipLast(CHECK_B))).toBe('invalid');
    expect(check('ghp_' + RANDOM_A + CHECK_A)).toBe('unknown');
  });
});

/** A v2 binary macaroon as PyPI issues them: location, identifier, one caveat, signature. */
function macaroon(opts: { location?: string; signatureBytes?: number; identifier?: boolean } = {}): Buffer {
  const field = (type: number, data: Buffer): Buffer => Buffer.concat([Buffer.from([type, data.length]), data]);
  const parts = [Buffer.from([2]), field(1, Buffer.from(opts.location ?? 'pypi.org'))];
  if (opts.identifier !== false) parts.push(field(2, Buffer.from('4f6b2c1e-8a9d-4e3f-b7a0-5c2d9e8f1a3b')));
  parts.push(Buffer.from([0]), field(2, Buffer.from('{"version": 1, "permissions": "user"}')), Buffer.from([0]), Buffer.from([0]));
  parts.push(field(6, Buffer.alloc(opts.signatureBytes ?? 32, 0xa7)));
  return Buffer.concat(parts);
}
const pypiToken = (bytes: Buffer): string => 'pypi-' + bytes.toString('base64url');

describe('pypi-macaroon', () => {
  const check = validators['pypi-macaroon']!;

  test('tokens from pypi.org and test.pypi.org are valid', () => {
    const token = pypiToken(macaroon());
    expect(token.startsWith('pypi-AgEIcHlwaS5vcmc')).toBe(true);
    expect(check(token)).toBe('valid');
    const test = pypiToken(macaroon({ location: 'test.pypi.org' }));
    expect(test.startsWith('pypi-AgENdGVzdC5weXBpLm9yZw')).toBe(true);
    expect(check(test)).toBe('valid');
  });

  test('broken macaroons are invalid', () => {
    const whole = macaroon();
    expect(check(pypiToken(whole.subarray(0, whole.length - 5)))).toBe('invalid');
    expect(check(pypiToken(macaroon({ signatureBytes: 16 })))).toBe('invalid');
    expect(check(pypiToken(macaroon({ location: 'pypi.example.net' })))).toBe('invalid');
    expect(check(pypiToken(macaroon({ identifier: false })))).toBe('invalid');
    expect(check(pypiToken(Buffer.concat([whole, Buffer.from([0])])))).toBe('invalid');
    expect(check('pypi-' + 'AgEIcHlwaS5vcmc' + '+/+/')).toBe('invalid');
  });

  test('other strings are unknown', () => {
    expect(check('npm_' + RANDOM_A + CHECK_A)).toBe('unknown');
  });
});

describe('jwt-structure', () => {
  const check = validators['jwt-structure']!;
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signature = Buffer.alloc(32, 0x5c).toString('base64url');

  test('a well-formed token is unknown (its signature needs the key)', () => {
    expect(check([part({ alg: 'HS256', typ: 'JWT' }), part({ sub: '42', exp: 1798761600 }), signature].join('.'))).toBe('unknown');
  });

  test('look-alikes are invalid', () => {
    expect(check([part({ typ: 'JWT' }), part({ sub: '42' }), signature].join('.'))).toBe('invalid');
    expect(check([part({ alg: 'HS256' }), part([1, 2]), signature].join('.'))).toBe('invalid');
    expect(check(['eyJ' + 'q8Zr1Lw0pT', 'eyJ' + 'mN4vB7cX2s', signature].join('.'))).toBe('invalid');
    expect(check([part({ alg: 'HS256' }), part({ sub: '42' })].join('.'))).toBe('invalid');
  });
});

describe('docker-auth', () => {
  const check = validators['docker-auth']!;
  const b64 = (s: string): string => Buffer.from(s).toString('base64');

  test('base64 of user:password is unknown (plausible credentials)', () => {
    expect(check(b64('ci-bot:' + RANDOM_A))).toBe('unknown');
  });

  test('anything else is invalid', () => {
    expect(check(b64(RANDOM_A))).toBe('invalid');
    expect(check(b64(':' + RANDOM_A))).toBe('invalid');
    expect(check(b64('ci-bot:'))).toBe('invalid');
    expect(check(Buffer.from([0xff, 0x00, 0x3a, 0x10]).toString('base64'))).toBe('invalid');
  });
});
