// GitHub's credential revocation API: POST /credentials/revoke {"credentials": [token]}, unauthenticated, 202 Accepted.
import type { Secret } from '../../secret.js';
import type { FetchLike } from '../http.js';
import { revokeError, sendRevocation } from './http.js';
import type { RevokeOutcome } from './outcome.js';

/**
 * Submits the token to GitHub's "Revoke a list of credentials" endpoint. NOTE: the endpoint takes no Authorization
 * (an authenticated request is refused with 403), so none is sent; GitHub notifies the token's owner.
 */
export async function revokeGitHub(token: Secret, base: string, fetch: FetchLike): Promise<RevokeOutcome> {
  const response = await sendRevocation(fetch, 'github', `${base}/credentials/revoke`, {
    method: 'POST',
    headers: { Accept: 'application/vnd.github+json', 'Content-Type': 'application/json', 'X-GitHub-Api-Version': '2022-11-28' },
    body: JSON.stringify({ credentials: [token.reveal()] }),
  }, token.reveal());
  if (response.status === 202 || response.status === 200) return 'revoked';
  const message = typeof response.body === 'object' && response.body !== null ? String((response.body as { message?: unknown }).message ?? '') : '';
  throw revokeError('github', response, `POST /credentials/revoke: ${message || `HTTP ${response.status}`}`);
}
