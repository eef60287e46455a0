// Typed errors shared by the vault/, k8s/ and github/ adapters; none ever carries a token or a secret value.

const credentials = new Set<string>();

/**
 * Registers a credential this process holds (a token, a secret id, a password): every later error message
 * is scrubbed of it, wherever it appears (a service may echo a request back in its error body).
 */
export function scrubCredential(value: string | undefined): void {
  if (value && value.length >= 8) credentials.add(value);
}

/**
 * Removes credentials from text: every registered credential, Authorization / X-Vault-Token headers,
 * tokens in URL queries and user-info.
 */
export function stripCredentials(text: string): string {
  for (const c of credentials) text = text.split(c).join('[REDACTED]');
  return text
    .replace(/(authorization|x-vault-token|private-token)(["']?\s*[:=]\s*["']?)(bearer\s+|token\s+|basic\s+)?[^\s"',}]+/gi, '$1$2[REDACTED]')
    .replace(/([?&](?:access_token|token|client_token|secret_id|sig|signature)=)[^&#\s"']+/gi, '$1[REDACTED]')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s"']+@/gi, '$1[REDACTED]@');
}

/** A plain, credential-free record of what went wrong underneath (status and the service's own message). */
export function safeCause(status: number | undefined, message: string): Error {
  const cause = new Error(stripCredentials(message));
  cause.name = status === undefined ? 'TransportError' : `HTTP ${status}`;
  return cause;
}

export interface AdapterErrorOptions {
  /** Which service answered: `vault`, `kubernetes`, `github`. */
  service: string;
  status?: number;
  cause?: Error;
}

/** Base of the typed adapter errors. The message names the service and the object, never a value or token. */
export class AdapterError extends Error {
  readonly service: string;
  readonly status: number | undefined;

  constructor(message: string, options: AdapterErrorOptions) {
    super(stripCredentials(message), options.cause ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.service = options.service;
    this.status = options.status;
  }
}

/** Missing, invalid or insufficient credentials (401, 403). */
export class Unauthorized extends AdapterError {}

/** The object does not exist (404). */
export class NotFound extends AdapterError {}

/** A concurrent change: check-and-set mismatch, resourceVersion conflict (400 cas, 409). */
export class Conflict extends AdapterError {}

/** Too many requests (429, or GitHub's 403 with an exhausted rate limit). */
export class RateLimited extends AdapterError {
  /** Seconds to wait before retrying, when the service said. */
  readonly retryAfter: number | undefined;

  constructor(message: string, options: AdapterErrorOptions & { retryAfter?: number }) {
    super(message, options);
    this.retryAfter = options.retryAfter;
  }
}

/** The service failed or could not be reached (5xx, connection refused): safe to retry later. */
export class Unavailable extends AdapterError {
  /** Seconds to wait before retrying, when the service said (a 503's Retry-After). */
  readonly retryAfter: number | undefined;

  constructor(message: string, options: AdapterErrorOptions & { retryAfter?: number }) {
    super(message, options);
    this.retryAfter = options.retryAfter;
  }
}

/** The service rejected the request as invalid (400, 422). */
export class Rejected extends AdapterError {}

/** Picks the typed error for an HTTP status. */
export function errorForStatus(
  status: number | undefined,
  message: string,
  options: { service: string; cause: Error; retryAfter?: number; casMismatch?: boolean },
): AdapterError {
  const base = { service: options.service, status, cause: options.cause };
  if (status === undefined || status >= 500) return new Unavailable(message, { ...base, retryAfter: options.retryAfter });
  if (status === 401 || status === 403) return new Unauthorized(message, base);
  if (status === 404) return new NotFound(message, base);
  if (status === 409 || options.casMismatch) return new Conflict(message, base);
  if (status === 429) return new RateLimited(message, { ...base, retryAfter: options.retryAfter });
  return new Rejected(message, base);
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
