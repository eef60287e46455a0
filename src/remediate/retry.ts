// Bounded retries with backoff for an adapter's requests: throttling (429) and unavailability (5xx), honouring Retry-After.
import { RateLimited, Unavailable } from './errors.js';

export interface RetryPolicy {
  /** Tries in all, the first included (default 4). */
  attempts?: number;
  /** First backoff in ms, doubled on each retry, with jitter (default 250). */
  baseMs?: number;
  /** The longest wait accepted: a Retry-After beyond it fails at once instead of hanging (default 20 s). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** 0..1, for the jitter (default Math.random). */
  random?: () => number;
  /** Narrows what is retried (default: every RateLimited and Unavailable error). */
  retryOn?: (err: unknown) => boolean;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The milliseconds to wait before try `attempt` (1-based retry count) after `err`; undefined: do not retry. */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy = {}): number | undefined {
  if (!(err instanceof RateLimited) && !(err instanceof Unavailable)) return undefined;
  if (policy.retryOn && !policy.retryOn(err)) return undefined;
  const maxWait = policy.maxWaitMs ?? 20_000;
  if (err.retryAfter !== undefined) {
    const ms = err.retryAfter * 1000;
    return ms <= maxWait ? ms : undefined;
  }
  const backoff = (policy.baseMs ?? 250) * 2 ** (attempt - 1);
  return Math.min(maxWait, Math.round(backoff * (0.5 + (policy.random ?? Math.random)() / 2)));
}

/**
 * Runs `fn`, retrying a RateLimited or Unavailable error up to `attempts` tries in all: after the service's Retry-After
 * when it gave one (failing at once when that is longer than `maxWaitMs`), else after an exponential backoff with jitter.
 * NOTE: only for requests that are safe to repeat (reads, and writes carrying an idempotency token or a precondition).
 */
export async function withRetries<T>(fn: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = policy.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const delay = attempt < attempts ? retryDelay(err, attempt, policy) : undefined;
      if (delay === undefined) throw err;
      await (policy.sleep ?? wait)(delay);
    }
  }
}
