// The HTTP seam: adapters take a fetch function so tests can point them at local servers.

/**
 * The subset of the WHATWG fetch the adapters use. An adapter's default is `guardedFetch()` from
 * src/net/guarded-fetch.ts (redirect, plain-http, timeout, size and retry policy), never the bare global fetch.
 */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** Joins a base URL and a path made of segments, each percent-encoded. */
export function joinUrl(base: string, ...segments: string[]): string {
  const parts = segments.flatMap((s) => s.split('/')).filter((s) => s.length > 0).map(encodeURIComponent);
  return `${base.replace(/\/+$/, '')}/${parts.join('/')}`;
}
