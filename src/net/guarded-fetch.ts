// The one HTTP policy of every client spillway has: where credentials may go, redirects, timeouts, body size, retries.
import type { FetchLike } from '../remediate/http.js';
import { HttpPolicyError, isLoopback, originOf, timeoutError } from './policy-errors.js';

/** What the guard enforces; every field has a default (see DEFAULT_POLICY) and some an environment variable. */
export interface HttpPolicy {
  /** Longest time for one request, connection to last byte of the answer (SPILLWAY_HTTP_TIMEOUT, in seconds). */
  timeoutMs: number;
  /** Largest answer read; a longer one is abandoned with an error. */
  maxBodyBytes: number;
  /** Redirects followed per request (same origin, or another origin when `crossOriginRedirects` allows). */
  maxRedirects: number;
  /**
   * A redirect to another origin: `refuse` (an error naming both origins), or follow it for GET/HEAD only after
   * removing every credential header (GitHub's log downloads redirect to signed storage URLs).
   */
  crossOriginRedirects: 'refuse' | 'without-credentials';
  /** Sends credentials over plain http to a host that is not loopback (SPILLWAY_ALLOW_HTTP=1). */
  allowHttp: boolean;
  /**
   * Retries of an answer 429 (any method: the server did nothing) or 503 (GET/HEAD only: a write may have landed),
   * after its Retry-After or a doubling backoff from one second.
   */
  retries: number;
  /** Most time spent waiting between retries of one request; a longer Retry-After returns the answer as is. */
  maxRetryWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_POLICY: HttpPolicy = {
  timeoutMs: 30_000,
  maxBodyBytes: 64 * 1024 * 1024,
  maxRedirects: 5,
  crossOriginRedirects: 'refuse',
  allowHttp: false,
  retries: 2,
  maxRetryWaitMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Headers that carry a credential: never sent over plain http (unless allowed) nor to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'x-vault-token', 'cookie', 'private-token', 'x-api-key'];
const NULL_BODY = new Set([101, 204, 205, 304]);

/** The policy from the environment: SPILLWAY_HTTP_TIMEOUT (seconds) and SPILLWAY_ALLOW_HTTP=1. */
export function policyFromEnv(env: Record<string, string | undefined>): Partial<HttpPolicy> {
  const out: Partial<HttpPolicy> = {};
  const timeout = env.SPILLWAY_HTTP_TIMEOUT;
  if (timeout !== undefined && timeout !== '') {
    const seconds = Number(timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new TypeError(`SPILLWAY_HTTP_TIMEOUT must be a number of seconds, got "${timeout}"`);
    out.timeoutMs = seconds * 1000;
  }
  if (env.SPILLWAY_ALLOW_HTTP === '1' || env.SPILLWAY_ALLOW_HTTP === 'true') out.allowHttp = true;
  return out;
}

export interface GuardOptions extends Partial<HttpPolicy> {
  /** Where SPILLWAY_HTTP_TIMEOUT / SPILLWAY_ALLOW_HTTP are read; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** The fetch underneath (global fetch by default; the Kubernetes client passes one that keeps its TLS agent). */
  fetch?: FetchLike;
}

/** A FetchLike that applies the policy to every request; answers come back fully read (at most maxBodyBytes). */
export function guardedFetch(options: GuardOptions = {}): FetchLike {
  const { env, fetch: inner, ...overrides } = options;
  const policy: HttpPolicy = { ...DEFAULT_POLICY, ...policyFromEnv(env ?? process.env), ...definedOnly(overrides) };
  const send = inner ?? ((url: string, init?: RequestInit) => globalThis.fetch(url, init));
  return async (url, init = {}) => {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const response = await follow(send, new URL(url), init, policy);
      const wait = retryWait(response, (init.method ?? 'GET').toUpperCase(), attempt, policy);
      if (wait === undefined || waited + wait > policy.maxRetryWaitMs) return response;
      waited += wait;
      await policy.sleep(wait);
    }
  };
}

function definedOnly(values: Partial<HttpPolicy>): Partial<HttpPolicy> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<HttpPolicy>;
}

/** Milliseconds before retrying a 429 / 503 answer, or undefined when it is final. */
function retryWait(response: Response, method: string, attempt: number, policy: HttpPolicy): number | undefined {
  const retriable = response.status === 429 || (response.status === 503 && (method === 'GET' || method === 'HEAD'));
  if (!retriable || attempt >= policy.retries) return undefined;
  const header = response.headers.get('retry-after')?.trim();
  if (header && /^\d+$/.test(header)) return Number(header) * 1000;
  const at = header ? Date.parse(header) : NaN;
  if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
  return 1000 * 2 ** attempt;
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function carriesCredential(url: URL, headers: Record<string, string>): boolean {
  return url.username !== '' || url.password !== '' || CREDENTIAL_HEADERS.some((h) => h in headers);
}

/** Refuses schemes other than http(s), and a credential over plain http to a host that is not loopback. */
function checkTransport(url: URL, headers: Record<string, string>, policy: HttpPolicy): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HttpPolicyError(`refused to call ${originOf(url)}: only http and https are spoken`);
  if (url.protocol === 'http:' && !policy.allowHttp && !isLoopback(url.hostname) && carriesCredential(url, headers)) {
    throw new HttpPolicyError(
      `refused to send a credential over plain http to ${originOf(url)}: use https (or set SPILLWAY_ALLOW_HTTP=1 for a server you trust on this network)`,
    );
  }
}

async function follow(send: FetchLike, start: URL, init: RequestInit, policy: HttpPolicy): Promise<Response> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
  let url = start;
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  const headers = plainHeaders(init.headers);
  for (let hop = 0; ; hop++) {
    checkTransport(url, headers, policy);
    let response: Response;
    try {
      response = await send(url.href, { ...init, method, headers, body: body ?? null, redirect: 'manual', signal });
    } catch (err) {
      throw deadline.aborted ? timeoutError(url, policy.timeoutMs, err) : err;
    }
    const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
    if (location === null) return readCapped(response, url, policy, deadline);
    await response.body?.cancel().catch(() => undefined);
    const next = new URL(location, url);
    if (hop >= policy.maxRedirects) throw new HttpPolicyError(`${originOf(start)} redirected more than ${policy.maxRedirects} times; stopped`);
    if (url.protocol === 'https:' && next.protocol !== 'https:') {
      throw new HttpPolicyError(`refused a redirect from ${originOf(url)} to ${originOf(next)}: https never falls back to plain http`);
    }
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    if (next.origin !== url.origin) {
      const safe = policy.crossOriginRedirects === 'without-credentials' && (method === 'GET' || method === 'HEAD');
      if (!safe) throw new HttpPolicyError(`${originOf(url)} redirected to another origin (${originOf(next)}); not followed, so no credential or data goes there`);
      for (const h of CREDENTIAL_HEADERS) delete headers[h];
      next.username = '';
      next.password = '';
    }
    url = next;
  }
}

/** Reads the whole answer under the deadline, abandoning it past maxBodyBytes; returns it as a plain Response. */
async function readCapped(response: Response, url: URL, policy: HttpPolicy, deadline: AbortSignal): Promise<Response> {
  if (response.status < 200 || response.status > 599) throw new HttpPolicyError(`${originOf(url)} answered with status ${response.status}`);
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > policy.maxBodyBytes) {
        throw new HttpPolicyError(`the answer from ${originOf(url)} is larger than ${formatBytes(policy.maxBodyBytes)}; stopped reading it`);
      }
      parts.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpPolicyError) throw err;
    throw deadline.aborted ? timeoutError(url, policy.timeoutMs, err) : err;
  }
  const bytes = Buffer.concat(parts);
  const out = new Response(NULL_BODY.has(response.status) ? null : bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(out, 'url', { value: url.href });
  return out;
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}
