// --revoke: the providers' documented revocation APIs against local servers; the token goes to the provider's origin only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError, Rejected } from '../../src/remediate/errors.js';
import { revokeGitHub } from '../../src/remediate/revoke/github.js';
import { revokeGitLab } from '../../src/remediate/revoke/gitlab.js';
import { checkBase } from '../../src/remediate/revoke/http.js';
import { revocationFor } from '../../src/remediate/revoke/providers.js';
import { revokeSlack } from '../../src/remediate/revoke/slack.js';
import { Secret } from '../../src/secret.js';
import { listen } from './servers/http-util.js';
import { FAKE_TOKENS, startProviders, type FakeProviders } from './servers/revoke-server.js';

const FAKE = FAKE_TOKENS;

let providers: FakeProviders;
beforeEach(async () => {
  providers = await startProviders(Object.values(FAKE));
});
afterEach(async () => {
  await providers.close();
});

describe('revocationFor', () => {
  it('knows the kinds with a revocation API from their public prefix, and names a page for the others', () => {
    expect(revocationFor(new Secret(FAKE.github))).toMatchObject({ provider: 'GitHub', api: 'github' });
    for (const p of ['gho', 'ghu', 'ghr']) expect(revocationFor(new Secret(`${p}_${'a'.repeat(36)}`))?.api).toBe('github');
    expect(revocationFor(new Secret(`github_pat_${'b'.repeat(60)}`))?.api).toBe('github');
    expect(revocationFor(new Secret(FAKE.gitlab))).toMatchObject({ provider: 'GitLab', api: 'gitlab' });
    expect(revocationFor(new Secret(FAKE.slack))).toMatchObject({ provider: 'Slack', api: 'slack' });
    const aws = revocationFor(new Secret(`AKIA${'Q'.repeat(16)}`));
    expect(aws).toMatchObject({ provider: 'AWS', url: expect.stringContaining('console.aws.amazon.com') });
    expect(aws?.api).toBeUndefined();
    expect(revocationFor(new Secret(`ghs_${'c'.repeat(36)}`))?.api).toBeUndefined();
    expect(revocationFor(new Secret('Qm7vRandomLookingValueWithoutAPrefix'))).toBeUndefined();
  });
});

describe('the revocation requests', () => {
  it('GitHub: POST /credentials/revoke with the token in the body and no Authorization; 202 is revoked', async () => {
    expect(await revokeGitHub(new Secret(FAKE.github), providers.github, fetch)).toBe('revoked');
    expect(providers.requests).toEqual([{ provider: 'github', method: 'POST', path: '/credentials/revoke', authorization: false }]);
    expect(providers.live.has(FAKE.github)).toBe(false);
  });

  it('GitLab: DELETE /api/v4/personal_access_tokens/self with PRIVATE-TOKEN; a second call finds it already invalid (401)', async () => {
    expect(await revokeGitLab(new Secret(FAKE.gitlab), providers.gitlab, fetch)).toBe('revoked');
    expect(providers.live.has(FAKE.gitlab)).toBe(false);
    expect(await revokeGitLab(new Secret(FAKE.gitlab), providers.gitlab, fetch)).toBe('already-invalid');
    expect(providers.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api/v4/personal_access_tokens/self', 'DELETE /api/v4/personal_access_tokens/self']);
  });

  it('Slack: POST /api/auth.revoke with the Bearer token; ok+revoked, then invalid_auth is already invalid', async () => {
    expect(await revokeSlack(new Secret(FAKE.slack), providers.slack, fetch)).toBe('revoked');
    expect(await revokeSlack(new Secret(FAKE.slack), providers.slack, fetch)).toBe('already-invalid');
  });

  it('GitHub refusing (422) is a typed error without the token', async () => {
    const server = await listen((_req, _body, res) => {
      res.writeHead(422, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `Validation Failed for ${FAKE.github}` }));
    });
    try {
      const err = await revokeGitHub(new Secret(FAKE.github), server.url, fetch).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Rejected);
      expect((err as Error).message).toContain('github: revoke: POST /credentials/revoke: Validation Failed');
      expect(JSON.stringify({ m: (err as Error).message, c: String((err as Error).cause) })).not.toContain(FAKE.github);
    } finally {
      await server.close();
    }
  });

  it('a redirect is an error: the token is never sent to where it points', async () => {
    const elsewhere: string[] = [];
    const other = await listen((req, body, res) => {
      elsewhere.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(202);
      res.end();
    });
    providers.redirectTo = `${other.url}/credentials/revoke`;
    try {
      for (const call of [() => revokeGitHub(new Secret(FAKE.github), providers.github, fetch), () => revokeGitLab(new Secret(FAKE.gitlab), providers.gitlab, fetch), () => revokeSlack(new Secret(FAKE.slack), providers.slack, fetch)]) {
        const err = await call().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AdapterError);
        expect((err as Error).message).toContain('answered with a redirect (HTTP 307): not following it with the token');
      }
      expect(elsewhere).toEqual([]);
      expect(providers.live.size).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('a base URL must be https (http on loopback only), without user-info or query', () => {
    expect(checkBase('SPILLWAY_REVOKE_GITHUB_URL', 'https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api/v3');
    expect(checkBase('X', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(() => checkBase('SPILLWAY_REVOKE_GITHUB_URL', 'http://api.github.com')).toThrow('SPILLWAY_REVOKE_GITHUB_URL: "http://api.github.com" must be https://');
    expect(() => checkBase('X', 'https://u:p@example.com')).toThrow('plain origin');
    expect(() => checkBase('X', 'not a url')).toThrow('is not a URL');
  });
});
