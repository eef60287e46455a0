// The SSRF guard: every internal range refused, IPv4 and IPv6, literal or resolved, whatever DNS says second.
import { describe, expect, test } from 'vitest';
import { checkLiteralHost, guardedLookup, isInternalAddress } from '../../src/verify/address-guard.js';

const INTERNAL = [
  '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
  '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', 'fc12::3', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', 'ff02::1', 'not-an-ip',
];
const PUBLIC = ['140.82.112.6', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8'];

function lookupOnce(resolved: { address: string; family: number }[], allowInternal: boolean, all: boolean) {
  return new Promise<{ err: Error | null; address: unknown }>((resolve) =>
    guardedLookup(allowInternal, async () => resolved)('api.example.test', { all }, (err, address) => resolve({ err, address })),
  );
}

describe('address guard', () => {
  test.each(INTERNAL)('%s is internal', (a) => expect(isInternalAddress(a)).toBe(true));
  test.each(PUBLIC)('%s is public', (a) => expect(isInternalAddress(a)).toBe(false));

  test('a host resolving to a public and a private address is refused (every address is checked)', async () => {
    const r = await lookupOnce([{ address: '140.82.112.6', family: 4 }, { address: '10.0.0.5', family: 4 }], false, true);
    expect(r.err?.message).toMatch(/refused to send a secret to api\.example\.test \(10\.0\.0\.5/);
  });

  test('an IPv6 loopback answer is refused too', async () => {
    const r = await lookupOnce([{ address: '::1', family: 6 }], false, false);
    expect(r.err?.name).toBe('InternalAddressError');
  });

  test('public answers pass, in the form http asks for', async () => {
    const addresses = [{ address: '140.82.112.6', family: 4 }, { address: '2606:4700::1111', family: 6 }];
    expect((await lookupOnce(addresses, false, true)).address).toEqual(addresses);
    expect((await lookupOnce(addresses, false, false)).address).toBe('140.82.112.6');
  });

  test('--allow-internal lets private answers through', async () => {
    expect((await lookupOnce([{ address: '10.0.0.5', family: 4 }], true, false)).err).toBeNull();
  });

  test('the system resolver: localhost is refused', async () => {
    const r = await new Promise<Error | null>((resolve) => guardedLookup(false)('localhost', { all: true }, (err) => resolve(err)));
    expect(r?.name).toBe('InternalAddressError');
  });

  test('IP literals are checked before connecting (connections to them skip lookup)', () => {
    expect(() => checkLiteralHost('127.0.0.1', false)).toThrow(/127\.0\.0\.1/);
    expect(() => checkLiteralHost('[::1]', false)).toThrow(/::1/);
    expect(() => checkLiteralHost('127.0.0.1', true)).not.toThrow();
    expect(() => checkLiteralHost('8.8.8.8', false)).not.toThrow();
  });
});
