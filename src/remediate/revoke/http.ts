// The one way a revoker sends a token: to the provider's origin over HTTPS, never following a redirect.
import { errorForStatus, parseRetryAfter, safeCause, scrubCredential, type AdapterError } from '../errors.js';
import type { FetchLike } from '../http.js';

/** Default origins of the providers' APIs; each may be overridden (tests, GitHub Enterprise, self-managed GitLab). */
export const DEFAULT_BASES = { github: 'https://api.github.com', gitlab: 'https://gitlab.com', slack: 'https://slack.com' } as const;

/** The environment variables that override them. */
export const BASE_ENV = { github: 'SPILLWAY_REVOKE_GITHUB_URL', gitlab: 'SPILLWAY_REVOKE_GITLAB_URL', slack: 'SPILLWAY_REVOKE_SLACK_URL' } as const;

/** Checks a base URL: HTTPS, or HTTP on loopback only (a local server); no user-info, query or fragment. */
export function checkBase(name: string, base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new TypeError(`${name}: "${base}" is not a URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new TypeError(`${name}: "${base}" must be https:// (http:// only on loopback): the token would travel in clear`);
  if (url.username || url.password || url.search || url.hash) throw new TypeError(`${name}: "${base}" must be a plain origin and path (no user, query or fragment)`);
  return base.replace(/\/+$/, '');
}

export interface RevokeResponse {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/**
 * Sends one revocation request. The token is registered for scrubbing first; a redirect is an error (the token is
 * never re-sent elsewhere); a failed answer becomes a typed error naming the provider.
 */
export async function sendRevocation(fetch: FetchLike, service: string, url: string, init: RequestInit, token: string): Promise<RevokeResponse> {
  scrubCredential(token);
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'manual' });
  } catch (err) {
    const detail = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw errorForStatus(undefined, `${service}: revoke: cannot reach ${new URL(url).origin} (${detail})`, { service, cause: safeCause(undefined, detail) });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.status >= 300 && response.status < 400) {
    throw errorForStatus(502, `${service}: revoke: ${new URL(url).origin} answered with a redirect (HTTP ${response.status}): not following it with the token`, { service, cause: safeCause(response.status, 'redirect') });
  }
  return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
}

/** The typed error for an answer that is not a revocation. */
export function revokeError(service: string, response: RevokeResponse, detail: string): AdapterError {
  return errorForStatus(response.status, `${service}: revoke: ${detail}`, { service, cause: safeCause(response.status, detail), retryAfter: parseRetryAfter(response.retryAfter) });
}
