// --revoke: once the new value is in place, revokes the leaked token at its provider; journaled, sent at most once.
import type { Secret } from '../../secret.js';
import { AdapterError, RateLimited } from '../errors.js';
import { guardedFetch } from '../../net/guarded-fetch.js';
import type { FetchLike } from '../http.js';
import type { Journal, JournalEntry } from '../journal.js';
import type { SecretStore, StoreVersion } from '../stores/store.js';
import { isVaultTarget, storeLabel, targetName, targetProperty, type StoreTarget } from '../target.js';
import { revokeGitHub } from './github.js';
import { revokeGitLab } from './gitlab.js';
import { BASE_ENV, checkBase, DEFAULT_BASES } from './http.js';
import type { RevokeOutcome } from './outcome.js';
import type { PlannedRevocation, RevokeApi } from './providers.js';
import { revokeSlack } from './slack.js';

/** The step name in the journal. */
export const REVOKE_STEP = 'revoke';

const REVOKERS: Record<RevokeApi, (token: Secret, base: string, fetch: FetchLike) => Promise<RevokeOutcome>> = {
  github: revokeGitHub,
  gitlab: revokeGitLab,
  slack: revokeSlack,
};

/** How each API is called, for plans. */
const REQUESTS: Record<RevokeApi, string> = {
  github: 'POST /credentials/revoke (GitHub\'s credential revocation API; GitHub notifies the token\'s owner)',
  gitlab: 'DELETE /api/v4/personal_access_tokens/self with the token (GitLab\'s self-revocation)',
  slack: 'POST /api/auth.revoke with the token (Slack\'s auth.revoke)',
};

/** The base URL of `api`: its SPILLWAY_REVOKE_*_URL override, else the provider's documented origin. */
export function revokeBase(api: RevokeApi, env: Record<string, string | undefined>): string {
  return checkBase(BASE_ENV[api], env[BASE_ENV[api]] || DEFAULT_BASES[api]);
}

/** The plan's step line for the revocation (with --revoke). */
export function revokePlanLine(r: PlannedRevocation | undefined, env: Record<string, string | undefined>): string {
  if (!r) return 'Revoke: the provider of this value cannot be told from it: nothing is revoked automatically (see "Left to people").';
  if (!r.api) return `Revoke: ${r.provider} has no revocation API spillway can call for this kind of token${r.note ? ` (${r.note})` : ''}: revoke it by hand at ${r.url}.`;
  return `Revoke: ${REQUESTS[r.api]} at ${revokeBase(r.api, env)}, once the new value is in its store, read back, and synced (with --restart: after ESO reports it synced and the restarts); sent at most once, even after a crash.`;
}

export interface RevokeDeps {
  /** The store of the plan's target: the leaked value is read back from it, never kept. */
  store: SecretStore;
  journal: Journal;
  log: (line: string) => void;
  env: Record<string, string | undefined>;
  fetch?: FetchLike;
  /** Waits between attempts after a 429 (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
}

/** Attempts after a 429 (which certainly did not revoke) before the step fails. */
const ATTEMPTS = 3;
/** The longest Retry-After honoured within a run; a longer one fails the step (run again later). */
const MAX_WAIT_S = 60;

/** Calls `send` again after a 429, waiting Retry-After (or 2, 4 s), at most ATTEMPTS times. */
async function retryRateLimited<T>(send: () => Promise<T>, deps: RevokeDeps, provider: string): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      const wait = err instanceof RateLimited ? (err.retryAfter ?? 2 ** attempt) : Infinity;
      if (attempt >= ATTEMPTS || wait > MAX_WAIT_S) throw err;
      deps.log(`revoke: ${provider} answered 429 (rate limited): trying again in ${wait}s`);
      await sleep(wait * 1000);
    }
  }
}

/**
 * Revokes the value the rotation replaced (read back from Vault's version `oldVersion`), after checking that Vault's
 * current version holds another value. A run killed after the intent never sends the request again: the step is
 * closed as unconfirmed and the checklist asks a person to check at the provider.
 */
export async function revokeLeaked(r: PlannedRevocation, target: StoreTarget, rotation: { oldVersion: StoreVersion; newVersion: StoreVersion }, deps: RevokeDeps): Promise<void> {
  const { journal, log, store } = deps;
  const api = r.api;
  if (!api) return;
  const done = journal.done(REVOKE_STEP);
  if (done) return log(`revoke: already done at ${r.provider} (${String(done.data?.outcome)}), not sending it again`);
  if (journal.pendingIntent(REVOKE_STEP) && journal.last(REVOKE_STEP)?.data?.sent !== false) {
    journal.append(REVOKE_STEP, 'done', { provider: r.provider, outcome: 'unconfirmed' });
    return log(`revoke: an interrupted run had sent (or was about to send) the revocation to ${r.provider}; not sending it twice: check at ${r.url} that the old token is revoked`);
  }
  try {
    if (journal.done('rollback')) throw new Error(`revoke: incident ${journal.id} was rolled back: ${storeLabel(target)} holds the leaked value again, revoking it would break its consumers`);
    const base = revokeBase(api, deps.env);
    const property = targetProperty(target);
    const [current, previous] = await Promise.all([store.read(target), store.read(target, rotation.oldVersion)]);
    const leaked = previous.values.get(property);
    const now = current.values.get(property);
    if (!leaked) throw new Error(`revoke: version ${rotation.oldVersion} of ${targetName(target)} has no "${property}" any more: the leaked value cannot be read back to revoke it`);
    // Vault's versions count up: an older current version is not the rotation's. AWS version ids are not ordered.
    const older = isVaultTarget(target) && Number(current.version) < Number(rotation.newVersion);
    if (!now || now.equals(leaked) || older) {
      throw new Error(`revoke: ${targetName(target)} does not hold the new value (version ${current.version}): not revoking the old one while it may still be in use`);
    }
    journal.append(REVOKE_STEP, 'intent', { provider: r.provider, api });
    // Its own retries off: retryRateLimited below waits out a 429.
    const fetch = deps.fetch ?? guardedFetch({ crossOriginRedirects: 'refuse', retries: 0 });
    const outcome = await retryRateLimited(() => REVOKERS[api](leaked, base, fetch), deps, r.provider);
    journal.append(REVOKE_STEP, 'done', { provider: r.provider, outcome });
    log(`revoke: ${outcome === 'revoked' ? `${r.provider} revoked the leaked token` : `${r.provider} no longer accepts the leaked token (already revoked or expired)`}`);
  } catch (err) {
    journal.append(REVOKE_STEP, 'failed', refusedByProvider(err) ? { sent: false } : undefined, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/** A 4xx answer means the provider did not revoke it (a 5xx, a redirect or no answer leaves it unknown): safe to send again. */
function refusedByProvider(err: unknown): boolean {
  return err instanceof AdapterError && err.status !== undefined && err.status >= 400 && err.status < 500;
}

/** The checklist line about revocation, from the plan and (for issues) the journal; `done` when nothing is left to do. */
export function revokeChecklistItem(r: PlannedRevocation | undefined, entries: readonly JournalEntry[] | undefined, what: string, asked = false, store = 'Vault'): { text: string; done: boolean } {
  const done = entries?.find((e) => e.step === REVOKE_STEP && e.event === 'done');
  const at = r ? `${r.provider}: ${r.url}` : 'its provider';
  if (done && done.data?.outcome === 'revoked') return { done: true, text: `Revoked the leaked credential at ${r?.provider ?? 'its provider'} (${done.at}, through its API)${what}.` };
  if (done && done.data?.outcome === 'already-invalid') return { done: true, text: `${r?.provider ?? 'The provider'} no longer accepts the leaked credential (checked ${done.at}: already revoked or expired)${what}.` };
  if (done) return { done: false, text: `Check that the leaked credential is revoked at ${at}: a run was interrupted after it may have sent the revocation, and spillway never sends it twice${what}.` };
  const how = r?.api ? (asked ? ' (--revoke does it once the new value is synced and the restarts are done)' : ' (or run again with --revoke)') : r?.note ? ` (${r.note})` : '';
  return { done: false, text: `Revoke the leaked credential at ${at}${how}: rotating it in ${store} does not make the old value stop working${what}.` };
}

/** Throws when the journal says the provider revoked the old value: a rollback would hand the consumers a dead credential. */
export function refuseRevokedRollback(journal: Journal): void {
  const done = journal.done(REVOKE_STEP);
  const outcome = done?.data?.outcome;
  if (outcome !== 'revoked' && outcome !== 'already-invalid') return;
  throw new Error(
    `rollback: the old value was revoked at ${String(done!.data?.provider)} on ${done!.at} (--revoke): writing it back would give the consumers a credential that no longer works. To replace the new value, rotate again with one the provider issues (--generator or --value-stdin)`,
  );
}
