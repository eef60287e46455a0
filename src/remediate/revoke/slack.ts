// Slack's auth.revoke: POST /api/auth.revoke with the token as a Bearer; {"ok": true, "revoked": true}; errors come as ok=false.
import type { Secret } from '../../secret.js';
import type { FetchLike } from '../http.js';
import { revokeError, sendRevocation } from './http.js';
import type { RevokeOutcome } from './outcome.js';

/** Errors meaning Slack no longer accepts the token. */
const GONE = new Set(['invalid_auth', 'token_revoked', 'account_inactive']);

/** Revokes a bot or user token with itself. */
export async function revokeSlack(token: Secret, base: string, fetch: FetchLike): Promise<RevokeOutcome> {
  const response = await sendRevocation(fetch, 'slack', `${base}/api/auth.revoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token.reveal()}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: '',
  }, token.reveal());
  const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as { ok?: unknown; revoked?: unknown; error?: unknown };
  if (response.status === 200 && body.ok === true && body.revoked === true) return 'revoked';
  if (response.status === 200 && typeof body.error === 'string' && GONE.has(body.error)) return 'already-invalid';
  const detail = typeof body.error === 'string' ? body.error : body.ok === true ? 'answered ok without revoked=true' : `HTTP ${response.status}`;
  throw revokeError('slack', response.status === 200 ? { ...response, status: 400 } : response, `POST /api/auth.revoke: ${detail}`);
}
