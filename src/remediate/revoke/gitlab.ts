// GitLab's personal access token self-revocation: DELETE /api/v4/personal_access_tokens/self with the token itself, 204.
import type { Secret } from '../../secret.js';
import type { FetchLike } from '../http.js';
import { revokeError, sendRevocation } from './http.js';
import type { RevokeOutcome } from './outcome.js';

/** Revokes the personal access token with itself; a 401 means GitLab no longer accepts it (revoked or expired already). */
export async function revokeGitLab(token: Secret, base: string, fetch: FetchLike): Promise<RevokeOutcome> {
  const response = await sendRevocation(fetch, 'gitlab', `${base}/api/v4/personal_access_tokens/self`, {
    method: 'DELETE',
    headers: { 'PRIVATE-TOKEN': token.reveal(), Accept: 'application/json' },
  }, token.reveal());
  if (response.status === 204 || response.status === 200) return 'revoked';
  if (response.status === 401) return 'already-invalid';
  const message = typeof response.body === 'object' && response.body !== null ? String((response.body as { message?: unknown }).message ?? '') : '';
  throw revokeError('gitlab', response, `DELETE /api/v4/personal_access_tokens/self: ${message || `HTTP ${response.status}`}`);
}
