// Maps Vault's HTTP answers (`{"errors":[...]}`) to the typed adapter errors, without tokens or values.
import { originOf } from '../../net/policy-errors.js';
import { serverText } from '../../net/server-text.js';
import { errorForStatus, parseRetryAfter, safeCause, Unavailable, type AdapterError } from '../errors.js';

/** Reads Vault's `errors` array from a response body, if it has one; each message scrubbed (see serverText). */
export function vaultMessages(body: unknown): string[] {
  if (typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors)) {
    return (body as { errors: unknown[] }).errors.filter((e): e is string => typeof e === 'string').slice(0, 3).map(serverText);
  }
  return [];
}

/** The typed error for a failed Vault request on `what` (e.g. `PATCH apps-prod/data/team/app/db`). */
export function vaultError(what: string, status: number, body: unknown, retryAfter: string | null): AdapterError {
  const messages = vaultMessages(body);
  const detail = messages.length > 0 ? messages.join('; ') : `HTTP ${status}`;
  const casMismatch = status === 400 && messages.some((m) => m.includes('check-and-set'));
  const hint = status === 403 ? ' (is VAULT_TOKEN valid, and does its policy allow this path? is VAULT_NAMESPACE right?)' : '';
  return errorForStatus(status, `vault: ${what}: ${detail}${hint}`, {
    service: 'vault',
    cause: safeCause(status, detail),
    retryAfter: parseRetryAfter(retryAfter),
    casMismatch,
  });
}

/** The typed error for a Vault request that got no answer at all (or one the HTTP policy refused). */
export function vaultTransportError(what: string, err: unknown): AdapterError {
  if (err instanceof Error && err.name === 'HttpPolicyError') {
    return errorForStatus(undefined, `vault: ${what}: ${err.message}`, { service: 'vault', cause: safeCause(undefined, err.message) });
  }
  const detail = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  return errorForStatus(undefined, `vault: ${what}: cannot reach Vault (${detail})`, { service: 'vault', cause: safeCause(undefined, detail) });
}

/** A successful status whose body is not a JSON object (a proxy's HTML login page, say): nothing of it is read as data. */
export function notVaultJson(what: string, address: string, response: Response): AdapterError {
  const type = serverText(response.headers.get('content-type') ?? 'none');
  const message = `vault: ${what}: the answer from ${originOf(new URL(address))} was not Vault's JSON (content-type ${type}, HTTP ${response.status}); is VAULT_ADDR the Vault API, not a proxy's login page?`;
  return new Unavailable(message, { service: 'vault', status: response.status, cause: safeCause(response.status, 'not JSON') });
}
