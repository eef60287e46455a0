// One verifier per token kind, keyed by rule id: which request proves a secret works, and how to read the answer.
import type { VerifyRequest, VerifyResponse } from './http.js';
import type { ProviderName } from './providers.js';
import { signV4 } from './sigv4.js';

/** The outcome of one check. */
export type Verdict = 'verified-active' | 'verified-inactive' | 'unknown';

/** What is checked: the secret, and for AWS the access key id it pairs with. */
export interface Credential {
  secret: string;
  keyId?: string;
}

export interface Verifier {
  provider: ProviderName;
  /** False for values this rule matches that the provider's endpoint cannot check (e.g. an .npmrc token of another registry). */
  accepts?(secret: string): boolean;
  /** Needs the access key id of an AWS pair. */
  needsKeyId?: boolean;
  /** The verifier reads the response body (Slack answers 200 with `ok: false`). */
  readBody?: boolean;
  request(cred: Credential, base: URL, now: Date): VerifyRequest;
  verdict(res: VerifyResponse): Verdict;
}

const url = (base: URL, path: string): URL => new URL(path.replace(/^\//, ''), base.href.endsWith('/') ? base : `${base.href}/`);

/** 2xx active, the listed statuses inactive, anything else (rate limits, 5xx, redirects, scope errors) unknown. */
function byStatus(inactive: readonly number[]): (res: VerifyResponse) => Verdict {
  return ({ status }) => (status >= 200 && status < 300 ? 'verified-active' : inactive.includes(status) ? 'verified-inactive' : 'unknown');
}

const get = (path: string, headers: (secret: string) => Record<string, string>, inactive: readonly number[] = [401]) => ({
  request: (cred: Credential, base: URL): VerifyRequest => ({ method: 'GET', url: url(base, path), headers: { 'user-agent': 'spillway-verify', ...headers(cred.secret) } }),
  verdict: byStatus(inactive),
});

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

// GitHub: 401 Bad credentials; 403 is a rate limit or an installation token without user access: unknown.
const github: Verifier = { provider: 'github', ...get('/user', (s) => ({ ...bearer(s), accept: 'application/vnd.github+json' })) };
// GitLab: 401 for a revoked or expired token; 403 is a token without the read_user scope: unknown.
const gitlab: Verifier = { provider: 'gitlab', ...get('/api/v4/user', (s) => ({ 'private-token': s })) };
// Stripe: Basic auth with the key as the user name; 403 is a restricted key without balance access: unknown.
const stripe: Verifier = { provider: 'stripe', ...get('/v1/balance', (s) => ({ authorization: `Basic ${Buffer.from(`${s}:`).toString('base64')}` })) };
// npm tokens (npm_...) belong to registry.npmjs.org only; a legacy .npmrc token may be for another registry.
const npm: Verifier = { provider: 'npm', accepts: (s) => s.startsWith('npm_'), ...get('/-/whoami', bearer) };
const openai: Verifier = { provider: 'openai', ...get('/v1/models', bearer) };
const anthropic: Verifier = { provider: 'anthropic', ...get('/v1/models', (s) => ({ 'x-api-key': s, 'anthropic-version': '2023-06-01' })) };
const sendgrid: Verifier = { provider: 'sendgrid', ...get('/v3/scopes', bearer) };
// Vault answers 403 "permission denied" for an unknown, expired or revoked token.
const vault: Verifier = { provider: 'vault', ...get('/v1/auth/token/lookup-self', (s) => ({ 'x-vault-token': s }), [403]) };

const SLACK_DEAD = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
// Slack answers HTTP 200 either way; the JSON `ok` and `error` fields tell.
const slack: Verifier = {
  provider: 'slack',
  readBody: true,
  request: (cred, base) => ({
    method: 'POST',
    url: url(base, '/api/auth.test'),
    headers: { 'user-agent': 'spillway-verify', authorization: `Bearer ${cred.secret}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  }),
  verdict: ({ status, body }) => {
    if (status !== 200 || body === undefined) return 'unknown';
    try {
      const parsed = JSON.parse(body) as { ok?: unknown; error?: unknown };
      if (parsed.ok === true) return 'verified-active';
      return typeof parsed.error === 'string' && SLACK_DEAD.has(parsed.error) ? 'verified-inactive' : 'unknown';
    } catch {
      return 'unknown';
    }
  },
};

const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
// STS GetCallerIdentity needs no permission; 403 (InvalidClientTokenId, SignatureDoesNotMatch) means the pair does not work.
const aws: Verifier = {
  provider: 'aws',
  needsKeyId: true,
  request: (cred, base, now) => {
    const target = url(base, '/');
    const headers = signV4({
      method: 'POST',
      url: target,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: STS_BODY,
      region: 'us-east-1',
      service: 'sts',
      accessKeyId: cred.keyId ?? '',
      secretAccessKey: cred.secret,
      now,
    });
    return { method: 'POST', url: target, headers: { ...headers, 'user-agent': 'spillway-verify' }, body: STS_BODY };
  },
  verdict: byStatus([403]),
};

/** Rule id -> verifier. Rules not listed here are never sent anywhere. */
export const VERIFIERS: Readonly<Record<string, Verifier>> = Object.freeze({
  'github-pat': github,
  'github-fine-grained-pat': github,
  'github-oauth-token': github,
  'github-app-user-token': github,
  'github-app-installation-token': github,
  'gitlab-pat': gitlab,
  'gitlab-pat-routable': gitlab,
  'slack-bot-token': slack,
  'slack-user-token': slack,
  'slack-legacy-token': slack,
  'slack-workspace-token': slack,
  'stripe-live-secret-key': stripe,
  'stripe-live-restricted-key': stripe,
  'stripe-test-secret-key': stripe,
  'stripe-test-restricted-key': stripe,
  'npm-access-token': npm,
  'npmrc-auth-token': npm,
  'yarnrc-npm-auth-token': npm,
  'dockerfile-run-npm-auth-token': npm,
  'openai-project-key': openai,
  'openai-service-account-key': openai,
  'openai-legacy-key': openai,
  'anthropic-api-key': anthropic,
  'aws-secret-access-key': aws,
  'aws-secret-access-key-pair': aws,
  'sendgrid-api-key': sendgrid,
  'vault-service-token': vault,
  'vault-batch-token': vault,
  'vault-legacy-token': vault,
});
