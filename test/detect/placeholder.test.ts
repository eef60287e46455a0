// The placeholder filter: in a key block only the key material counts, not the armour or a comment header.
import { describe, expect, test } from 'vitest';
import { isPlaceholder } from '../../src/detect/placeholder.js';

const PPK = (comment: string, material: string) =>
  [
    'PuTTY-User-Key-File-2: ssh-ed25519',
    'Encryption: none',
    `Comment: ${comment}`,
    'Public-Lines: 1',
    material,
    'Private-Lines: 1',
    material.split('').reverse().join(''),
    'Private-MAC: 802cab35706e54d929fdcc1e27229afa2e3a8f58',
  ].join('\n');

describe('isPlaceholder', () => {
  test('a PuTTY key whose comment says dummy-key is not a placeholder', () => {
    expect(isPlaceholder(PPK('dummy-key', 'AABY+Ak/wBKF9/QvuIGQyGhsI3aYGtqLobo0rgOT3tNRMEqn'))).toBe(false);
  });

  test('a PEM key with an example comment header in a JSON string is not a placeholder', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\\nComment: example\\nMIIEowIBAAKCAQEAq7Wm2Zr9Kx4Lp8Vn3Bc6\\n-----END RSA PRIVATE KEY-----';
    expect(isPlaceholder(pem)).toBe(false);
  });

  test('a key block whose material is a placeholder still is one', () => {
    expect(isPlaceholder(PPK('real', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'))).toBe(true);
    expect(isPlaceholder('-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----')).toBe(true);
    expect(isPlaceholder('-----BEGIN RSA PRIVATE KEY-----\nyour-key-here-0123456789\n-----END RSA PRIVATE KEY-----')).toBe(true);
  });

  test('too uniform: fewer than four distinct characters, or three in a value of 6 to 8 characters', () => {
    for (const filler of ['yyyyyy', 'abababab', 'test', 'qqqwwweee']) expect(isPlaceholder(filler)).toBe(true);
    for (const weak of ['papaya', 'rootroot', 'pqrs']) expect(isPlaceholder(weak)).toBe(false);
  });

  test('a plain value is checked whole', () => {
    expect(isPlaceholder('dummy-token-0123456789')).toBe(true);
    expect(isPlaceholder('q7Wm2Zr9Kx4Lp8Vn3Bc6')).toBe(false);
  });
});
