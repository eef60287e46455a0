// verifyFindings against local servers that follow each provider's documented API; the SSRF guard; the cache; no leaks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProviderName } from '../../src/verify/providers.js';
import { verifyFindings, type VerifyOptions } from '../../src/verify/verify-findings.js';
import { finding, tokens } from './findings.js';
import { startProviderServer, type ProviderServer } from './provider-server.js';

const GOOD = tokens(100);
const BAD = tokens(200);
const PROVIDERS: ProviderName[] = ['github', 'gitlab', 'slack', 'stripe', 'npm', 'openai', 'anthropic', 'aws', 'sendgrid', 'vault'];

let server: ProviderServer;
let options: VerifyOptions;

beforeAll(async () => {
  server = await startProviderServer(GOOD);
  options = { baseUrls: Object.fromEntries(PROVIDERS.map((p) => [p, server.url])), allowInternal: true, timeoutMs: 2000 };
});
afterAll(() => server.close());

/** One finding per verifiable kind for the given token set. */
function kinds(t: ReturnType<typeof tokens>, path: string) {
  return [
    finding('github-pat', t.github, { path, line: 1 }),
    finding('gitlab-pat', t.gitlab, { path, line: 2 }),
    finding('slack-bot-token', t.slack, { path, line: 3 }),
    finding('stripe-live-secret-key', t.stripe, { path, line: 4 }),
    finding('npm-access-token', t.npm, { path, line: 5 }),
    finding('openai-project-key', t.openai, { path, line: 6 }),
    finding('anthropic-api-key', t.anthropic, { path, line: 7 }),
    finding('sendgrid-api-key', t.sendgrid, { path, line: 8 }),
    finding('vault-service-token', t.vault, { path, line: 9 }),
    finding('aws-access-key-id', t.awsKeyId, { path, line: 10 }),
    finding('aws-secret-access-key', t.awsSecret, { path, line: 11 }),
  ];
}

describe('verifyFindings', () => {
  test('every kind: the good token is verified-active, the bad one verified-inactive', async () => {
    const good = kinds(GOOD, 'good.env');
    const bad = kinds(BAD, 'bad.env');
    const { findings } = await verifyFindings([...good, ...bad], options);
    expect(findings.slice(0, good.length).map((f) => [f.ruleId, f.validation])).toEqual(good.map((f) => [f.ruleId, 'verified-active']));
    expect(findings.slice(good.length).map((f) => [f.ruleId, f.validation])).toEqual(bad.map((f) => [f.ruleId, 'verified-inactive']));
  });

  test('requests follow each documented API: method, path and header', async () => {
    server.seen.length = 0;
    await verifyFindings(kinds(tokens(300), 'x.env'), options);
    const byPath = new Map(server.seen.map((s) => [`${s.method} ${s.path}`, s]));
    expect(byPath.get('GET /user')?.headers.authorization).toMatch(/^Bearer ghp_/);
    expect(byPath.get('GET /api/v4/user')?.headers['private-token']).toMatch(/^glpat-/);
    expect(byPath.get('POST /api/auth.test')?.headers.authorization).toMatch(/^Bearer xoxb-/);
    expect(byPath.get('GET /v1/balance')?.headers.authorization).toMatch(/^Basic /);
    expect(byPath.get('GET /-/whoami')?.headers.authorization).toMatch(/^Bearer npm_/);
    expect(byPath.get('GET /v3/scopes')?.headers.authorization).toMatch(/^Bearer SG\./);
    expect(byPath.get('GET /v1/auth/token/lookup-self')?.headers['x-vault-token']).toMatch(/^hvs\./);
    const sts = byPath.get('POST /');
    expect(sts?.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(sts?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIA[A-Z2-7]{16}\/\d{8}\/us-east-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/);
    const models = server.seen.filter((s) => s.path === '/v1/models');
    expect(models.some((s) => s.headers['x-api-key'] !== undefined && s.headers['anthropic-version'] === '2023-06-01')).toBe(true);
    expect(models.some((s) => s.headers.authorization?.startsWith('Bearer sk-proj-'))).toBe(true);
  });

  test('AWS: the key id finding gets the verdict of the secret it pairs with, in the same file only', async () => {
    const { findings } = await verifyFindings(
      [
        finding('aws-access-key-id', GOOD.awsKeyId, { path: 'a/credentials', line: 2 }),
        finding('aws-secret-access-key', GOOD.awsSecret, { path: 'a/credentials', line: 3 }),
        finding('aws-secret-access-key', GOOD.awsSecret, { path: 'b/alone.env', line: 3 }),
        finding('aws-secret-access-key-pair', GOOD.awsSecret, { path: 'c.csv', match: `${GOOD.awsKeyId},${GOOD.awsSecret}` }),
      ],
      options,
    );
    expect(findings.map((f) => f.validation)).toEqual(['verified-active', 'verified-active', undefined, 'verified-active']);
  });

  test('each distinct secret is checked once per run', async () => {
    server.seen.length = 0;
    const t = tokens(400);
    const result = await verifyFindings(
      [finding('github-pat', t.github, { path: 'a' }), finding('github-pat', t.github, { path: 'b' }), finding('github-oauth-token', t.github, { path: 'c' })],
      options,
    );
    expect(server.seen.filter((s) => s.path === '/user')).toHaveLength(1);
    expect(result.checked).toBe(1);
    expect(result.findings.map((f) => f.validation)).toEqual(['verified-inactive', 'verified-inactive', 'verified-inactive']);
  });

  test('bounded concurrency', async () => {
    const slow = await startProviderServer(GOOD, 30);
    try {
      const many = Array.from({ length: 8 }, (_, i) => finding('github-pat', tokens(500 + i).github, { path: `f${i}` }));
      await verifyFindings(many, { ...options, baseUrls: { github: slow.url }, concurrency: 2 });
      expect(slow.seen).toHaveLength(8);
      expect(slow.maxInFlight).toBeLessThanOrEqual(2);
    } finally {
      await slow.close();
    }
  });

  test('a timeout, a 500 and an unverifiable rule: unknown or untouched; notes name no secret, not even one a provider echoed', async () => {
    const timedOut = await verifyFindings([finding('github-pat', GOOD.hang, { path: 'h' })], { ...options, timeoutMs: 300 });
    const result = await verifyFindings(
      [
        finding('github-pat', GOOD.echo, { path: 'e' }),
        finding('generic-api-key', GOOD.github, { path: 'g' }),
        finding('npmrc-auth-token', 'legacy-' + GOOD.awsSecret, { path: '.npmrc' }),
      ],
      options,
    );
    expect(timedOut.findings[0]!.validation).toBe('unknown');
    expect(result.findings.map((f) => f.validation)).toEqual(['unknown', undefined, undefined]);
    const notes = JSON.stringify([...timedOut.notes, ...result.notes]);
    expect(notes).toMatch(/timed out/);
    expect(notes).toMatch(/answered HTTP 500/);
    for (const secret of [GOOD.hang, GOOD.echo, GOOD.github]) expect(notes).not.toContain(secret.slice(4));
  });

  test('--only-verified is left to the caller; existing checksum validation stays on findings not checked', async () => {
    const f = { ...finding('generic-api-key', 'abc'), validation: 'checksum-valid' as const };
    expect((await verifyFindings([f], options)).findings[0]!.validation).toBe('checksum-valid');
  });

  test('bad options throw a TypeError naming the option', async () => {
    await expect(verifyFindings([], { concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(verifyFindings([], { timeoutMs: -1 })).rejects.toThrow(/timeoutMs/);
  });
});

describe('SSRF guard', () => {
  test('the test override still goes through the guard: 127.0.0.1 refused without allowInternal, nothing sent', async () => {
    server.seen.length = 0;
    const { findings, notes } = await verifyFindings([finding('github-pat', GOOD.github)], { ...options, allowInternal: false });
    expect(findings[0]!.validation).toBe('unknown');
    expect(JSON.stringify(notes)).toMatch(/refused to send a secret to 127\.0\.0\.1/);
    expect(server.seen).toHaveLength(0);
  });

  test('no override: a VAULT_ADDR on 127.0.0.1 or localhost is refused, nothing sent', async () => {
    server.seen.length = 0;
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      const env = { VAULT_ADDR: `https://${host}:${server.port}` };
      const { findings, notes } = await verifyFindings([finding('vault-service-token', GOOD.vault)], { env, timeoutMs: 2000 });
      expect(findings[0]!.validation).toBe('unknown');
      expect(JSON.stringify(notes)).toMatch(/refused to send a secret/);
    }
    const next = await verifyFindings([finding('vault-service-token', GOOD.vault)], { env: { VAULT_ADDR: 'https://169.254.169.254' }, timeoutMs: 2000 });
    expect(JSON.stringify(next.notes)).toMatch(/169\.254\.169\.254/);
    expect(server.seen).toHaveLength(0);
  });

  test('a VAULT_ADDR written in the scanned text or file is ignored: the token goes only to the environment\'s VAULT_ADDR', async () => {
    server.seen.length = 0;
    const root = mkdtempSync(join(tmpdir(), 'spillway-vault-addr-'));
    const text = `export VAULT_ADDR=${server.url}\nexport VAULT_TOKEN=${GOOD.vault}`;
    writeFileSync(join(root, 'x.env'), text);
    const planted = finding('vault-service-token', GOOD.vault, { path: 'x.env', text });
    const refused = await verifyFindings([planted], { env: { VAULT_ADDR: 'https://vault.invalid' }, allowInternal: true, root } as VerifyOptions);
    expect(refused.findings[0]!.validation).toBe('unknown');
    expect(JSON.stringify(refused.notes)).toMatch(/vault\.invalid/);
    expect(server.seen).toHaveLength(0);
    const none = await verifyFindings([planted], { env: {}, allowInternal: true });
    expect(JSON.stringify(none.notes)).toMatch(/no VAULT_ADDR in the environment/);
    expect(server.seen).toHaveLength(0);
    const plain = await verifyFindings([planted], { env: { VAULT_ADDR: server.url } });
    expect(JSON.stringify(plain.notes)).toMatch(/not https/);
    expect(server.seen).toHaveLength(0);
    const users = await verifyFindings([planted], { env: { VAULT_ADDR: server.url }, allowInternal: true });
    expect(users.findings[0]!.validation).toBe('verified-active');
    expect(server.seen.map((s) => s.path)).toEqual(['/v1/auth/token/lookup-self']);
    rmSync(root, { recursive: true, force: true });
  });

  test('with allowInternal, a host name is resolved through the guard and reached (localhost)', async () => {
    server.seen.length = 0;
    const { findings } = await verifyFindings([finding('github-pat', GOOD.github)], { ...options, baseUrls: { github: `http://localhost:${server.port}` } });
    expect(findings[0]!.validation).toBe('verified-active');
    expect(server.seen).toHaveLength(1);
  });

  test('a secret a header cannot hold: unknown, and the error names no secret', async () => {
    const odd = GOOD.github + '\u0001';
    const { findings, notes } = await verifyFindings([finding('github-pat', odd)], options);
    expect(findings[0]!.validation).toBe('unknown');
    expect(JSON.stringify(notes)).not.toContain(GOOD.github.slice(4));
  });

  test('no VAULT_ADDR anywhere: unknown, with a note saying why', async () => {
    const { findings, notes } = await verifyFindings([finding('vault-service-token', GOOD.vault)], { env: {} });
    expect(findings[0]!.validation).toBe('unknown');
    expect(JSON.stringify(notes)).toMatch(/no VAULT_ADDR in the environment/);
  });
});
