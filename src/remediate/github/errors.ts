// Maps @octokit/rest failures (RequestError) to the typed adapter errors, without the token.
import { serverText } from '../../net/server-text.js';
import { errorForStatus, parseRetryAfter, safeCause, Unavailable, type AdapterError } from '../errors.js';

/** The typed error for a failed GitHub call on `what`. A 403 with no rate limit left is RateLimited. */
export function githubError(what: string, err: unknown): AdapterError {
  if (err instanceof Unavailable && err.service === 'github') return err;
  const policy = (err as { cause?: unknown }).cause;
  if (policy instanceof Error && policy.name === 'HttpPolicyError') {
    return errorForStatus(undefined, `github: ${what}: ${policy.message}`, { service: 'github', cause: safeCause(undefined, policy.message) });
  }
  const e = err as { status?: unknown; message?: string; response?: { headers?: Record<string, string | number | undefined>; data?: unknown } };
  const status = typeof e.status === 'number' && e.status >= 100 ? e.status : undefined;
  const headers = e.response?.headers ?? {};
  const data = e.response?.data as { message?: string; errors?: { message?: string; field?: string; code?: string }[] } | undefined;
  const details = (data?.errors ?? []).slice(0, 3).map((x) => serverText(String(x.message ?? [x.field, x.code].filter(Boolean).join(' ')))).filter(Boolean);
  const base = typeof data?.message === 'string' ? serverText(data.message) : status === undefined ? `cannot reach GitHub (${serverText(e.message ?? String(err))})` : `HTTP ${status}`;
  const detail = details.length > 0 ? `${base}: ${details.join('; ')}` : base;
  const exhausted = status === 403 && String(headers['x-ratelimit-remaining'] ?? '') === '0';
  const hint = status === 401 ? ' (is GITHUB_TOKEN valid?)' : status === 403 && !exhausted ? ' (does GITHUB_TOKEN have issues: write on this repository?)' : '';
  const retryAfter = parseRetryAfter(String(headers['retry-after'] ?? '')) ??
    (exhausted && headers['x-ratelimit-reset'] ? Math.max(0, Number(headers['x-ratelimit-reset']) - Math.floor(Date.now() / 1000)) : undefined);
  return errorForStatus(exhausted ? 429 : status, `github: ${what}: ${detail}${hint}`, {
    service: 'github',
    cause: safeCause(status, detail),
    retryAfter,
  });
}
