// Maps Secrets Manager's JSON-protocol errors (`__type`, `message`) to the typed adapter errors, without credentials or values.
import { AdapterError, Conflict, NotFound, parseRetryAfter, RateLimited, Rejected, safeCause, Unauthorized, Unavailable } from '../errors.js';

const SERVICE = 'aws-secretsmanager';

const UNAUTHORIZED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);
const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'Throttling']);
const UNAVAILABLE = new Set(['InternalServiceError', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException']);

/** The bare error type: `com.amazonaws.secretsmanager#ResourceNotFoundException:http://...` becomes `ResourceNotFoundException`. */
export function errorType(header: string | null, body: unknown): string | undefined {
  const raw = header ?? (typeof body === 'object' && body !== null ? (body as { __type?: unknown }).__type : undefined);
  if (typeof raw !== 'string' || !raw) return undefined;
  return raw.split(':')[0]!.split('#').pop();
}

function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const m = (body as { message?: unknown; Message?: unknown }).message ?? (body as { Message?: unknown }).Message;
  return typeof m === 'string' ? m : undefined;
}

/** The typed error for a failed Secrets Manager call on `what` (e.g. `GetSecretValue prod/app/db`). */
export function awsError(what: string, status: number, headers: Headers, body: unknown): AdapterError {
  const type = errorType(headers.get('x-amzn-errortype'), body);
  const detail = [type, messageOf(body)].filter(Boolean).join(': ') || `HTTP ${status}`;
  const hint = type && UNAUTHORIZED.has(type) ? ' (check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN or AWS_PROFILE, the region, and that the policy allows this secret)' : '';
  const message = `aws-sm: ${what}: ${detail}${hint}`;
  const options = { service: SERVICE, status, cause: safeCause(status, detail) };
  const retryAfter = parseRetryAfter(headers.get('retry-after'));
  if ((type && THROTTLED.has(type)) || status === 429) return new RateLimited(message, { ...options, retryAfter });
  if ((type && UNAVAILABLE.has(type)) || status >= 500) return new Unavailable(message, { ...options, retryAfter });
  if ((type && UNAUTHORIZED.has(type)) || status === 401 || status === 403) return new Unauthorized(message, options);
  if (type === 'ResourceNotFoundException') return new NotFound(message, options);
  if (type === 'ResourceExistsException') return new Conflict(message, options);
  return new Rejected(message, options);
}

/** The typed error for a call that got no answer at all. */
export function awsTransportError(what: string, err: unknown): AdapterError {
  const detail = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  return new Unavailable(`aws-sm: ${what}: cannot reach Secrets Manager (${detail})`, { service: SERVICE, cause: safeCause(undefined, detail) });
}
