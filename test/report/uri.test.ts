// URI helpers: RFC 3986 path encoding, file URIs for roots, repository addresses without credentials.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeUriPath, fileUri, safeRepositoryUri } from '../../src/report/uri.js';

const RFC3986_PATH = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})*$/;

describe('encodeUriPath', () => {
  it('encodes spaces, #, %, ?, :, line breaks and non-ASCII, keeping the slashes', () => {
    expect(encodeUriPath('my dir/a#1?%.txt')).toBe('my%20dir/a%231%3F%25.txt');
    expect(encodeUriPath('c:x\ny/é')).toBe('c%3Ax%0Ay/%C3%A9');
  });

  it('property: the result is an RFC 3986 path that decodes back to the input', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { minLength: 1, maxLength: 4 }), (segments) => {
        const path = segments.join('/');
        const uri = encodeUriPath(path);
        expect(uri).toMatch(RFC3986_PATH);
        expect(uri.split('/').map(decodeURIComponent).join('/')).toBe(path);
      }),
      { numRuns: 200 },
    );
  });

  it('does not throw on lone surrogates', () => {
    expect(encodeUriPath('a\uD800b')).toBe('a%EF%BF%BDb');
  });
});

describe('fileUri', () => {
  it('makes POSIX and Windows roots into file URIs with a trailing slash for directories', () => {
    expect(fileUri('/home/u/my repo', true)).toBe('file:///home/u/my%20repo/');
    expect(fileUri('/', true)).toBe('file:///');
    expect(fileUri('C:\\work\\app', true)).toBe('file:///C:/work/app/');
    expect(fileUri('/a/b.txt')).toBe('file:///a/b.txt');
  });
});

describe('safeRepositoryUri', () => {
  it('drops user names, passwords and tokens', () => {
    const token = ['abc', '123'].join('');
    expect(safeRepositoryUri(`https://x-access-token:${token}@github.com/acme/app.git`)).toBe('https://github.com/acme/app.git');
    expect(safeRepositoryUri(`https://${token}@github.com/acme/app`)).toBe('https://github.com/acme/app');
  });

  it('turns scp-like addresses and local paths into URIs, and gives up on the rest', () => {
    expect(safeRepositoryUri('git@github.com:acme/app.git')).toBe('ssh://github.com/acme/app.git');
    expect(safeRepositoryUri('/srv/git/app.git')).toBe('file:///srv/git/app.git');
    expect(safeRepositoryUri('not a uri')).toBeUndefined();
    expect(safeRepositoryUri(undefined)).toBeUndefined();
  });
});
