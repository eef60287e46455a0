// Errors of the HTTP policy: each names the server by origin only (no path, query or user-info), never a credential.
import { isIP } from 'node:net';

/** A request the policy refused or abandoned: a redirect, plain http with a credential, a timeout, an oversized answer. */
export class HttpPolicyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpPolicyError';
  }
}

/** `https://host:port` of a URL: what messages say about a server. */
export function originOf(url: URL): string {
  return url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
}

/** localhost, 127.0.0.0/8 and ::1: plain http there never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

export function timeoutError(url: URL, timeoutMs: number, cause: unknown): HttpPolicyError {
  return new HttpPolicyError(
    `no complete answer from ${originOf(url)} within ${timeoutMs / 1000} s (SPILLWAY_HTTP_TIMEOUT sets the limit, in seconds)`,
    { cause },
  );
}
