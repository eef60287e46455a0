// Maps @kubernetes/client-node failures (ApiException, fetch errors) to the typed adapter errors.
import { serverText } from '../../net/server-text.js';
import { errorForStatus, parseRetryAfter, safeCause, type AdapterError } from '../errors.js';

function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return serverText(body) || undefined;
    }
  }
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? serverText(message) : undefined;
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests' };

/** The typed error for a failed Kubernetes call on `what` (e.g. `patch externalsecret ns/name`). */
export function kubeError(what: string, err: unknown): AdapterError {
  const e = err as { code?: unknown; body?: unknown; headers?: Record<string, string>; message?: string };
  const status = typeof e.code === 'number' && e.code >= 100 ? e.code : undefined;
  const detail = status === undefined ? `cannot reach the cluster (${e.message ?? String(err)})` : (statusMessage(e.body) ?? REASONS[status] ?? `HTTP ${status}`);
  const hint = status === 401 || status === 403 ? ' (check KUBECONFIG, the context and its credentials/RBAC)' : '';
  return errorForStatus(status, `kubernetes: ${what}: ${detail}${hint}`, {
    service: 'kubernetes',
    cause: safeCause(status, detail),
    retryAfter: parseRetryAfter(e.headers?.['retry-after']),
  });
}
