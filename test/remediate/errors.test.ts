// Adapter errors: typed by status, with retryAfter, and never carrying credentials.
import { describe, expect, it } from 'vitest';
import { Conflict, RateLimited, Rejected, Unauthorized, Unavailable, errorForStatus, parseRetryAfter, safeCause, stripCredentials } from '../../src/remediate/errors.js';
import { vaultError } from '../../src/remediate/vault/errors.js';
import { githubError } from '../../src/remediate/github/errors.js';
import { kubeError } from '../../src/remediate/k8s/errors.js';

const token = ['s', 'e', 'c', 'r', 'e', 't'].join('') + 'T0ken'.repeat(4);

describe('stripCredentials', () => {
  it.each([
    [`Authorization: Bearer ${token}`, 'Authorization: [REDACTED]'],
    [`{"authorization":"token ${token}"}`, '{"authorization":"[REDACTED]"}'],
    [`X-Vault-Token: ${token}`, 'X-Vault-Token: [REDACTED]'],
    [`GET https://api.example/x?access_token=${token}&a=1`, 'GET https://api.example/x?access_token=[REDACTED]&a=1'],
    [`https://user:${token}@vault.example/v1`, 'https://[REDACTED]@vault.example/v1'],
  ])('%s', (input, expected) => {
    expect(stripCredentials(input)).toBe(expected);
  });

  it('applies to messages and causes of every adapter error', () => {
    const err = errorForStatus(401, `failed with Authorization: Bearer ${token}`, { service: 'x', cause: safeCause(401, `X-Vault-Token: ${token}`) });
    expect(err).toBeInstanceOf(Unauthorized);
    expect(`${err.message} ${String(err.cause)}`).not.toContain(token);
  });
});

describe('typed errors by status', () => {
  it('maps Vault answers', () => {
    expect(vaultError('read a/b', 403, { errors: ['permission denied'] }, null)).toBeInstanceOf(Unauthorized);
    expect(vaultError('patch a/b', 400, { errors: ['check-and-set parameter did not match the current version'] }, null)).toBeInstanceOf(Conflict);
    expect(vaultError('patch a/b', 400, { errors: ['no data provided'] }, null)).toBeInstanceOf(Rejected);
    expect(vaultError('read a/b', 503, { errors: ['Vault is sealed'] }, null)).toBeInstanceOf(Unavailable);
    const limited = vaultError('read a/b', 429, { errors: ['request path "a/b": rate limit quota exceeded'] }, '7');
    expect(limited).toBeInstanceOf(RateLimited);
    expect((limited as RateLimited).retryAfter).toBe(7);
  });

  it('maps GitHub answers, a 403 with no rate limit left being RateLimited', () => {
    const reset = Math.floor(Date.now() / 1000) + 60;
    const limited = githubError('create', { status: 403, response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, data: { message: 'API rate limit exceeded' } } });
    expect(limited).toBeInstanceOf(RateLimited);
    expect((limited as RateLimited).retryAfter).toBeGreaterThan(50);
    expect(githubError('create', { status: 403, response: { headers: {}, data: { message: 'Resource not accessible by integration' } } })).toBeInstanceOf(Unauthorized);
    expect(githubError('create', { status: 422, response: { data: { message: 'Validation Failed', errors: [{ field: 'title', code: 'missing_field' }] } } }).message).toBe('github: create: Validation Failed: title missing_field');
  });

  it('maps Kubernetes answers and transport failures', () => {
    expect(kubeError('patch', { code: 409, body: JSON.stringify({ kind: 'Status', message: 'the object has been modified' }) }).message).toBe('kubernetes: patch: the object has been modified');
    expect(kubeError('get', { message: 'connect ECONNREFUSED 127.0.0.1:6443' })).toBeInstanceOf(Unavailable);
    expect((kubeError('get', { code: 429, headers: { 'retry-after': '3' } }) as RateLimited).retryAfter).toBe(3);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(new Date(Date.now() + 30_000).toUTCString())).toBeGreaterThanOrEqual(29);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
