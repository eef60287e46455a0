// An Octokit for the audit: REST with pagination, the throttling plugin (rate limits) and the retry plugin (5xx).
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { guardedFetch } from '../net/guarded-fetch.js';
import type { FetchLike } from '../remediate/http.js';

const PluggedOctokit = Octokit.plugin(throttling, retry);

/** The audit reads repositories only: the REST methods and paginate of a plain Octokit are what it uses. */
export type AuditOctokit = Octokit;

export interface GitHubClientOptions {
  /** REST API root: GITHUB_API_URL, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  baseUrl: string;
  token?: string;
  /** Where rate-limit waits are reported (never with the token). */
  log: (message: string) => void;
  /** Retries after a primary or secondary rate limit before giving up. Default 3. */
  rateLimitRetries?: number;
  /** The HTTP seam; the shared policy (src/net/guarded-fetch.ts) by default, its own retries off (the plugins retry). */
  fetch?: FetchLike;
}

/** A client that waits out rate limits (`retry-after`, `x-ratelimit-reset`) and retries server errors. */
export function createGitHubClient(options: GitHubClientOptions): AuditOctokit {
  const retries = options.rateLimitRetries ?? 3;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    if (retryCount >= retries) {
      options.log(`GitHub ${kind} rate limit on ${request.method} ${request.url}: giving up after ${retryCount} retries`);
      return false;
    }
    options.log(`GitHub ${kind} rate limit on ${request.method} ${request.url}: retrying in ${retryAfter}s`);
    return true;
  };
  return new PluggedOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    auth: options.token,
    userAgent: 'spillway-audit',
    log: { debug: () => {}, info: () => {}, warn: options.log, error: options.log },
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    request: { fetch: options.fetch ?? guardedFetch({ retries: 0 }) },
  });
}
