// Local servers for the providers' documented revocation APIs: GitHub POST /credentials/revoke (unauthenticated, 202),
// GitLab DELETE /api/v4/personal_access_tokens/self (PRIVATE-TOKEN, 204, then 401), Slack POST /api/auth.revoke (Bearer).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, listen } from './http-util.js';

/** Fake tokens made from pieces at run time (no token-looking string in a file). */
export const FAKE_TOKENS = {
  github: ['ghp', 'F'.repeat(36)].join('_'),
  gitlab: ['glpat', 'G'.repeat(20)].join('-'),
  slack: ['xoxb', '1'.repeat(12), 'S'.repeat(24)].join('-'),
};

export interface FakeProviders {
  github: string;
  gitlab: string;
  slack: string;
  /** Tokens each provider still accepts; a revocation removes the token. */
  live: Set<string>;
  /** Every revocation request that arrived, by provider (the token is not kept). */
  requests: { provider: 'github' | 'gitlab' | 'slack'; method: string; path: string; authorization: boolean }[];
  /** When set, every provider answers with a redirect to this URL instead of acting. */
  redirectTo?: string;
  /** Answer the next N requests with this status instead of acting. */
  failures: { status: number; count: number; retryAfter?: string };
  close(): Promise<void>;
}

/** Starts the three fake providers on 127.0.0.1, accepting `tokens`. */
export async function startProviders(tokens: string[]): Promise<FakeProviders> {
  const live = new Set(tokens);
  const state: Pick<FakeProviders, 'live' | 'requests' | 'redirectTo' | 'failures'> = { live, requests: [], failures: { status: 500, count: 0 } };
  const redirect = (res: ServerResponse, echo = ''): boolean => {
    if (state.failures.count > 0) {
      state.failures.count--;
      // NOTE: the failure echoes the request body, as a careless service might: errors must be scrubbed of the token.
      json(res, state.failures.status, { message: `injected failure${echo ? ` for ${echo}` : ''}`, ok: false, error: 'fatal_error' }, state.failures.retryAfter ? { 'Retry-After': state.failures.retryAfter } : {});
      return true;
    }
    if (!state.redirectTo) return false;
    res.writeHead(307, { Location: state.redirectTo });
    res.end();
    return true;
  };
  const github = await listen((req: IncomingMessage, body: string, res: ServerResponse) => {
    state.requests.push({ provider: 'github', method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization !== undefined });
    if (redirect(res, body)) return;
    if (req.method !== 'POST' || req.url !== '/credentials/revoke') return json(res, 404, { message: 'Not Found' });
    if (req.headers.authorization) return json(res, 403, { message: 'Must not be authenticated' });
    let credentials: unknown;
    try {
      credentials = (JSON.parse(body) as { credentials?: unknown }).credentials;
    } catch {
      credentials = undefined;
    }
    if (!Array.isArray(credentials) || credentials.length === 0 || credentials.length > 1000 || !credentials.every((c) => typeof c === 'string')) {
      return json(res, 422, { message: 'Validation Failed', status: '422' });
    }
    for (const c of credentials as string[]) live.delete(c);
    json(res, 202, {});
  });
  const gitlab = await listen((req, _body, res) => {
    state.requests.push({ provider: 'gitlab', method: req.method ?? '', path: req.url ?? '', authorization: req.headers['private-token'] !== undefined });
    if (redirect(res)) return;
    if (req.method !== 'DELETE' || req.url !== '/api/v4/personal_access_tokens/self') return json(res, 404, { message: '404 Not Found' });
    const token = String(req.headers['private-token'] ?? '');
    if (!live.has(token)) return json(res, 401, { message: '401 Unauthorized' });
    live.delete(token);
    res.writeHead(204);
    res.end();
  });
  const slack = await listen((req, _body, res) => {
    state.requests.push({ provider: 'slack', method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization !== undefined });
    if (redirect(res)) return;
    if (req.method !== 'POST' || req.url !== '/api/auth.revoke') return json(res, 404, { ok: false, error: 'unknown_method' });
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!token) return json(res, 200, { ok: false, error: 'not_authed' });
    if (!live.has(token)) return json(res, 200, { ok: false, error: 'invalid_auth' });
    live.delete(token);
    json(res, 200, { ok: true, revoked: true });
  });
  return Object.assign(state, {
    github: github.url,
    gitlab: gitlab.url,
    slack: slack.url,
    close: async () => {
      await Promise.all([github.close(), gitlab.close(), slack.close()]);
    },
  }) as FakeProviders;
}
