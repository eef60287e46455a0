// Applies a plan step by step, journaling each one so a re-run resumes where it failed and never rotates twice.
import type { Secret } from '../secret.js';
import { AdapterError } from './errors.js';
import { editManifests } from './gitops.js';
import type { FetchLike } from './http.js';
import { incidentMarker, issueBody, issueTitle } from './github/issue-body.js';
import type { IssueTracker } from './github/client.js';
import type { Journal } from './journal.js';
import { awaitEsoSync, deferredRestartLines, recordSecretVersions, restartsAfterEso } from './eso-sync.js';
import type { ClusterApi } from './k8s/client.js';
import { randomForProviderValue, restartable, vsoSyncLine, type RemediationPlan } from './plan.js';
import { auditStep, commentLateSteps, revokeAndDestroy } from './runbook-steps.js';
import type { Rotation, SecretStore, WriteIntent } from './stores/store.js';
import { VaultKv2Store } from './stores/vault-kv2.js';
import { isVaultTarget, secretName, storeLabel, targetName, targetProperty, type StoreTarget } from './target.js';
import type { KvStore } from './vault/client.js';
import { parseDuration } from './vso/duration.js';

export interface ApplyDeps {
  /** The Vault client, for a Vault KV v2 target (wrapped as its SecretStore adapter) when no `store` is given. */
  vault?: KvStore;
  /** The store adapter of the plan's target. */
  store?: SecretStore;
  /** Needed when the plan force-syncs through the API or restarts. */
  cluster?: ClusterApi;
  /** Needed when the plan opens an issue. */
  issues?: IssueTracker;
  /** Makes the new value from the current one (same shape, a command's output, stdin). */
  newValue: (current: Secret) => Promise<Secret>;
  journal: Journal;
  /** One line of progress for the user (never a value). */
  log: (line: string) => void;
  now?: () => Date;
  /** Waits before restarting VSO consumers and between looks at ESO's status (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for ESO to report the new value synced before restarting (default 120 s; --sync-timeout). */
  syncTimeoutMs?: number;
  /** Where --revoke reads its SPILLWAY_REVOKE_*_URL overrides (default: none). */
  env?: Record<string, string | undefined>;
  /** The HTTP seam of --revoke's requests to the providers. */
  fetch?: FetchLike;
}

export type { Rotation } from './stores/store.js';
export { reconcileWrite } from './stores/vault-kv2.js';

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs `fn` as journaled step `step`: a failure is recorded (message, and what `facts` tells of it) and rethrown. */
async function step<T>(journal: Journal, name: string, fn: () => Promise<T>, facts?: (err: unknown) => Record<string, unknown> | undefined): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    journal.append(name, 'failed', facts?.(err), describe(err));
    throw err;
  }
}

/** A 4xx answer means the store refused the write: it certainly did not happen (a 5xx or no answer leaves it unknown). */
export function refusedByStore(err: unknown): Record<string, unknown> | undefined {
  return err instanceof AdapterError && err.status !== undefined && err.status >= 400 && err.status < 500 ? { written: false } : undefined;
}

/** The store the plan's target lives in: `deps.store`, else the Vault client wrapped as the KV v2 adapter. */
export function storeOf(deps: Pick<ApplyDeps, 'store' | 'vault'>, target: StoreTarget): SecretStore {
  if (deps.store) return deps.store;
  if (deps.vault && isVaultTarget(target)) return new VaultKv2Store(deps.vault);
  throw new Error(`${storeLabel(target)}: no client configured for ${targetName(target)}`);
}

async function rotate(plan: RemediationPlan, deps: ApplyDeps): Promise<Rotation> {
  const { journal, log } = deps;
  const t = plan.target;
  const store = storeOf(deps, t);
  const label = isVaultTarget(t) ? 'vault' : 'aws-sm';
  const done = journal.done('rotate');
  if (done) {
    const r = done.data as unknown as Rotation;
    log(`rotate: already done (version ${r.oldVersion} -> ${r.newVersion}), not rotating again`);
    return r;
  }
  return step(journal, 'rotate', async () => {
    const intent = journal.pendingIntent('rotate');
    if (intent && journal.last('rotate')?.data?.written !== false) {
      const recovered = await store.reconcile(t, intent.data as WriteIntent);
      if (recovered) {
        journal.append('rotate', 'done', { ...recovered });
        log(`rotate: the interrupted write had reached ${storeLabel(t)} (version ${recovered.oldVersion} -> ${recovered.newVersion}), not rotating again`);
        return recovered;
      }
    }
    const current = await store.read(t);
    const property = targetProperty(t);
    const old = current.values.get(property);
    if (!old) throw new Error(`${label}: ${secretName(t)} has no property "${property}" (it has: ${[...current.values.keys()].join(', ') || 'none'})`);
    const next = await deps.newValue(old);
    if (next.equals(old)) throw new Error('the new value is the same as the current one: refusing to "rotate" to it');
    const write = store.intent(current.version);
    journal.append('rotate', 'intent', { ...t, ...write });
    const version = await store.write(t, next, write);
    const rotation: Rotation = { oldVersion: current.version, newVersion: version };
    journal.append('rotate', 'done', { ...rotation });
    log(`rotate: ${targetName(t)} version ${rotation.oldVersion} -> ${rotation.newVersion}`);
    return rotation;
  }, refusedByStore);
}

/** Forces ESO to refresh every ExternalSecret of the plan (API annotation, or manifest edit with --gitops). */
export async function forceSync(plan: RemediationPlan, deps: ApplyDeps, prefix = ''): Promise<void> {
  const { journal, log } = deps;
  const now = deps.now ?? (() => new Date());
  if (plan.externalSecrets.length === 0) return;
  if (plan.gitopsRoot) {
    const name = `${prefix}gitops`;
    if (journal.done(name)) return log(`${name}: already done`);
    const root = plan.gitopsRoot;
    await step(journal, name, async () => {
      const forceSync = String(Math.floor(now().getTime() / 1000));
      const message = `chore(secrets): force-sync after ${prefix ? 'rolling back' : 'rotating'} ${secretName(plan.target)} (incident ${plan.incident})`;
      const { files, commit } = await editManifests(root, plan.externalSecrets, forceSync, message);
      journal.append(name, 'done', { forceSync, files, commit });
      log(`${name}: set force-sync=${forceSync} in ${files.join(', ')}; commit and push it: ${commit}`);
    });
    return;
  }
  const cluster = deps.cluster;
  if (!cluster) throw new Error('kubernetes: no cluster configured to force-sync the ExternalSecrets (set KUBECONFIG, or use --gitops)');
  for (const es of plan.externalSecrets) {
    const name = `${prefix}sync:${es.namespace}/${es.name}`;
    if (journal.done(name)) {
      log(`${name}: already done`);
      continue;
    }
    await step(journal, name, async () => {
      const intent = journal.pendingIntent(name)?.data?.forceSync;
      const found = await cluster.getExternalSecret(es);
      if (intent !== undefined && found.annotations['force-sync'] === intent) {
        journal.append(name, 'done', { forceSync: intent, resourceVersion: found.resourceVersion, recovered: true });
        return log(`${name}: the interrupted force-sync=${String(intent)} had reached the cluster, not annotating again`);
      }
      // An unchanged annotation is no change: ESO would not sync (a rollback in the same second as the rotation).
      const current = Number(found.annotations['force-sync']);
      const forceSync = String(Math.max(Math.floor(now().getTime() / 1000), Number.isSafeInteger(current) ? current + 1 : 0));
      journal.append(name, 'intent', { forceSync });
      const resourceVersion = await cluster.annotateExternalSecret(es, { 'force-sync': forceSync });
      journal.append(name, 'done', { forceSync, resourceVersion });
      log(`${name}: force-sync=${forceSync}`);
    });
  }
}

/**
 * How long to wait before restarting VSO consumers: VSO copies the new version within refreshAfter (plus up to 10%
 * jitter) after the rotation; a restart before that would start pods on the old value.
 */
export function vsoWaitMs(plan: RemediationPlan, rotatedAt: string | undefined, now: Date): number {
  const windows = (plan.vaultStaticSecrets ?? []).map((v) => (v.refreshAfter ? parseDuration(v.refreshAfter) : undefined)).filter((ms): ms is number => ms !== undefined);
  if (windows.length === 0 || !rotatedAt) return 0;
  const until = Date.parse(rotatedAt) + Math.ceil(Math.max(...windows) * 1.1);
  return Math.max(0, until - now.getTime());
}

/** Rollout-restarts the consumers (after ESO's sync is seen); false when they wait for the --gitops commit to be synced. */
export async function restart(plan: RemediationPlan, deps: ApplyDeps, prefix = ''): Promise<boolean> {
  const { journal, log } = deps;
  const now = deps.now ?? (() => new Date());
  let waited = false;
  const pending = plan.consumers.some((c) => plan.restart && restartable(c) && !c.vso && !journal.done(`${prefix}restart:${c.namespace}/${c.name}`));
  const synced = !pending || !restartsAfterEso(plan) || (await awaitEsoSync(plan, deps, prefix));
  if (!synced) for (const line of deferredRestartLines(plan, prefix)) log(line);
  for (const c of plan.consumers) {
    if (!plan.restart || !restartable(c) || (!c.vso && !synced)) continue;
    const name = `${prefix}restart:${c.namespace}/${c.name}`;
    if (journal.done(name)) {
      log(`${name}: already done`);
      continue;
    }
    if (c.vso === 'manual' && !waited) {
      waited = true;
      const ms = vsoWaitMs(plan, journal.done(prefix ? 'rollback' : 'rotate')?.at, now());
      if (ms > 0) {
        log(`restart: waiting ${Math.ceil(ms / 1000)}s for VSO's refreshAfter, so the pods start on the new version`);
        await (deps.sleep ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t))))(ms);
      }
    }
    const cluster = deps.cluster;
    if (!cluster) throw new Error('kubernetes: no cluster configured for --restart (set KUBECONFIG)');
    await step(journal, name, async () => {
      const intent = journal.pendingIntent(name)?.data?.restartedAt;
      if (intent !== undefined && (await cluster.restartedAt(c.namespace, c.name)) === intent) {
        journal.append(name, 'done', { restartedAt: intent, recovered: true });
        return log(`${name}: the interrupted restart (restartedAt=${String(intent)}) had reached the cluster, not restarting again`);
      }
      const at = now().toISOString();
      journal.append(name, 'intent', { restartedAt: at });
      await cluster.restartDeployment(c.namespace, c.name, at);
      journal.append(name, 'done', { restartedAt: at });
      log(`${name}: restartedAt=${at}`);
    });
  }
  return synced;
}

async function record(plan: RemediationPlan, deps: ApplyDeps): Promise<void> {
  const { journal, log } = deps;
  const repo = plan.github;
  if (!repo) return;
  const done = journal.done('issue');
  if (done) return log(`issue: already opened (${String(done.data?.url)})`);
  const issues = deps.issues;
  if (!issues) throw new Error('github: no client configured for --github (set GITHUB_TOKEN)');
  await step(journal, 'issue', async () => {
    const existing = await issues.findIssue(repo, incidentMarker(plan.incident));
    const issue = existing ?? (await issues.createIssue(repo, { title: issueTitle(plan), body: issueBody(plan, journal.entries()), labels: ['security', 'incident'] }));
    journal.append('issue', 'done', { number: issue.number, url: issue.url, ...(existing ? { recovered: true } : {}) });
    log(`issue: ${existing ? 'found the one opened before' : 'opened'} #${issue.number} ${issue.url}`);
  });
}

/**
 * Checks every credential a remaining step needs before the first change: Vault was checked on connect;
 * the ExternalSecrets must exist in the cluster; the GitHub token must see the repository.
 */
export async function preflight(plan: RemediationPlan, deps: ApplyDeps): Promise<void> {
  const { journal } = deps;
  if (!journal.done('rotate') && randomForProviderValue(plan)) {
    const why = plan.issuer ? `${targetProperty(plan.target)} is issued by a provider (${plan.issuer.reason})` : 'this plan does not say who issues the secret';
    throw new Error(`${why}: a random value would not be a valid credential. Issue a new one at the provider, then give it with --value-stdin (typed without echo, or piped) or --generator CMD (the provider's CLI or API); --issued-by team if the team issues it`);
  }
  const pinned = plan.externalSecrets.filter((es) => es.pinnedVersion !== undefined);
  if (!journal.done('rotate') && pinned.length > 0) {
    const list = pinned.map((es) => `${es.namespace}/${es.name}${es.file ? ` (${es.file})` : ''} pins remoteRef.version ${es.pinnedVersion}`).join('; ');
    throw new Error(`ExternalSecret ${list}: ESO would keep serving that version after the rotation. Remove the pin so it reads the latest version, let it sync, then run again`);
  }
  const pendingSyncs = plan.gitopsRoot ? [] : plan.externalSecrets.filter((es) => !journal.done(`sync:${es.namespace}/${es.name}`));
  if (pendingSyncs.length > 0 || (plan.restart && plan.consumers.some(restartable))) {
    if (!deps.cluster) throw new Error('kubernetes: no kubeconfig, but the plan annotates ExternalSecrets or restarts workloads (set KUBECONFIG, or use --gitops)');
    for (const es of pendingSyncs) await deps.cluster.getExternalSecret(es);
  }
  if (plan.github && !journal.done('issue')) {
    if (!deps.issues) throw new Error('github: GITHUB_TOKEN is not set (needed for --github)');
    const { visibility } = await deps.issues.checkAccess(plan.github);
    if (visibility === 'public' && !plan.allowPublicIssue) {
      const repo = `${plan.github.owner}/${plan.github.repo}`;
      throw new Error(`github: ${repo} is a public repository: an incident issue there would tell everyone which secret leaked, where, and what is still to do. Open it in a private security repository (--github OWNER/REPO, or issue-repo under [remediate] in ~/.config/spillway/config.toml), or give --allow-public-issue to open it in ${repo} anyway`);
    }
  }
}

/**
 * Applies the plan: rotate, sync, restart, audit, revoke, destroy, record; each step journaled and skipped when already done. Returns false when
 * restarts wait for a --gitops commit to be synced (run again then), true when everything is done.
 */
export async function applyPlan(plan: RemediationPlan, deps: ApplyDeps): Promise<boolean> {
  await preflight(plan, deps);
  if (!deps.journal.done('plan')) deps.journal.append('plan', 'done', { plan: plan as unknown as Record<string, unknown> });
  await recordSecretVersions(plan, deps);
  await rotate(plan, deps);
  await forceSync(plan, deps);
  for (const v of plan.vaultStaticSecrets ?? []) deps.log(`sync: ${vsoSyncLine(v)}`);
  const restarted = await restart(plan, deps);
  const runbook = { ...deps, store: storeOf(deps, plan.target) };
  await auditStep(plan, runbook);
  if (restarted) await revokeAndDestroy(plan, runbook);
  else if (plan.revoke || plan.destroyLeakedVersion) deps.log('revoke/destroy: wait until the restarts are done (run again after the sync), so nothing still uses the old value');
  await record(plan, deps);
  await commentLateSteps(plan, runbook);
  if (restarted && !deps.journal.done('complete')) deps.journal.append('complete', 'done');
  return restarted;
}
