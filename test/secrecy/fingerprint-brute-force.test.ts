// A fingerprint does not give back a short secret without the key: the same search that recovers it with
// the key (so the test can fail) finds nothing with any other key. The cost argument is in docs/architecture.md.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { fingerprint } from '../../src/detect/fingerprint.js';

const ALPHABET = 'aeiourstln';
const LENGTH = 4;

/** Every string of LENGTH characters over ALPHABET whose fingerprint under `key` is `target`. */
function search(key: Buffer, target: string): string[] {
  const hits: string[] = [];
  const n = ALPHABET.length ** LENGTH;
  for (let i = 0; i < n; i++) {
    let guess = '';
    for (let v = i, k = 0; k < LENGTH; k++, v = Math.floor(v / ALPHABET.length)) guess += ALPHABET[v % ALPHABET.length];
    if (fingerprint(key, 'generic-password', 'app/.env', guess) === target) hits.push(guess);
  }
  return hits;
}

it(`a ${LENGTH}-character password over a ${ALPHABET.length}-letter alphabet is found with the key, and not without it`, () => {
  const key = randomBytes(32);
  const password = ['t', 'i', 'l', 'e'].join('');
  const target = fingerprint(key, 'generic-password', 'app/.env', password);
  expect(target).not.toContain(password);
  expect(search(key, target)).toEqual([password]);
  for (const other of [randomBytes(32), Buffer.alloc(32), Buffer.from('spillway')]) expect(search(other, target)).toEqual([]);
});
