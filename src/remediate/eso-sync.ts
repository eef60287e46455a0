// Restarting only after ESO has synced: the target Secrets' versions before the change, then a bounded wait for ESO's status.
import type { ApplyDeps } from './apply.js';
import type { ClusterApi, ExternalSecretStatus } from './k8s/client.js';
import { restartable, type RemediationPlan } from './plan.js';

/** What the wait needs of the apply dependencies. */
type SyncDeps = Pick<ApplyDeps, 'journal' | 'log' | 'cluster' | 'now' | 'sleep' | 'syncTimeoutMs'>;

const SYNC_TIMEOUT_MS = 120_000;
const SYNC_POLL_MS = 1_000;

/** True when the plan restarts workloads fed by its ExternalSecrets: ESO's sync of the new value must be seen first. */
export function restartsAfterEso(plan: RemediationPlan): boolean {
  return plan.restart && plan.externalSecrets.length > 0 && plan.consumers.some((c) => restartable(c) && !c.vso);
}

function clusterFor(deps: SyncDeps, why: string): ClusterApi {
  if (!deps.cluster) throw new Error(`kubernetes: no cluster configured ${why} (set KUBECONFIG)`);
  return deps.cluster;
}

/**
 * Journals, before Vault changes, each target Secret's resourceVersion and each ExternalSecret's refreshTime, so that ESO's
 * write of the new value can be told apart by the cluster's own clock and versions (ours may be skewed).
 */
export async function recordSecretVersions(plan: RemediationPlan, deps: SyncDeps, prefix = ''): Promise<void> {
  const name = `${prefix}secrets-before`;
  if (!restartsAfterEso(plan) || deps.journal.done(name)) return;
  const cluster = clusterFor(deps, 'to read the ExternalSecrets\' target Secrets');
  const versions: Record<string, string> = {};
  const refreshTimes: Record<string, string> = {};
  for (const es of plan.externalSecrets) {
    versions[`${es.namespace}/${es.targetName}`] = (await cluster.secretResourceVersion(es.namespace, es.targetName)) ?? '';
    const refreshTime = (await cluster.getExternalSecret(es)).status?.refreshTime;
    if (refreshTime) refreshTimes[`${es.namespace}/${es.name}`] = refreshTime;
  }
  deps.journal.append(name, 'done', { versions, refreshTimes });
}

/** What ESO's status says against the force-sync: undefined when the new value is synced, else what is missing. */
function notSynced(status: ExternalSecretStatus | undefined, refreshedBefore: string | undefined, secretChanged: boolean): string | undefined {
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  const refreshed = status?.refreshTime !== undefined && (refreshedBefore === undefined || Date.parse(status.refreshTime) >= Date.parse(refreshedBefore));
  if (ready?.status === 'True' && refreshed && secretChanged) return undefined;
  const readyText = ready ? `Ready=${ready.status}${ready.reason ? ` (${ready.reason}${ready.message ? `: ${ready.message}` : ''})` : ''}` : 'no Ready condition';
  return `${readyText}, refreshTime ${status?.refreshTime ?? 'unset'}${refreshed ? '' : ` (not after ${refreshedBefore}, before the change)`}, target Secret ${secretChanged ? 'rewritten' : 'not rewritten yet (same resourceVersion)'}`;
}

/**
 * Waits (bounded) until ESO reports every ExternalSecret synced after the change: Ready=True, a refreshTime not older than
 * the one before the change, and the target Secret rewritten (resourceVersion changed). Returns false with --gitops while the cluster
 * does not carry the force-sync yet (the commit is not pushed or ArgoCD has not synced it): restarting then would be early.
 */
export async function awaitEsoSync(plan: RemediationPlan, deps: SyncDeps, prefix: string): Promise<boolean> {
  const { journal, log } = deps;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t)));
  const cluster = clusterFor(deps, 'to watch ESO sync the new value');
  const timeout = deps.syncTimeoutMs ?? SYNC_TIMEOUT_MS;
  const recorded = journal.done(`${prefix}secrets-before`)?.data ?? {};
  const before = (recorded.versions ?? {}) as Record<string, string>;
  const refreshTimes = (recorded.refreshTimes ?? {}) as Record<string, string>;
  for (const es of plan.externalSecrets) {
    const name = `${prefix}synced:${es.namespace}/${es.name}`;
    if (journal.done(name)) continue;
    const syncStep = plan.gitopsRoot ? `${prefix}gitops` : `${prefix}sync:${es.namespace}/${es.name}`;
    const forceSync = String(journal.done(syncStep)?.data?.forceSync ?? '');
    if (plan.gitopsRoot && (await cluster.getExternalSecret(es)).annotations['force-sync'] !== forceSync) {
      log(`${prefix}restart: deferred: ExternalSecret ${es.namespace}/${es.name} in the cluster does not carry force-sync=${forceSync} yet (commit and push the manifest change above; ArgoCD has not synced it)`);
      return false;
    }
    const deadline = now().getTime() + timeout;
    const secretKey = `${es.namespace}/${es.targetName}`;
    try {
      for (;;) {
        const { status } = await cluster.getExternalSecret(es);
        const version = (await cluster.secretResourceVersion(es.namespace, es.targetName)) ?? '';
        const missing = notSynced(status, refreshTimes[`${es.namespace}/${es.name}`], !(secretKey in before) || version !== before[secretKey]);
        if (!missing) {
          journal.append(name, 'done', { refreshTime: status?.refreshTime, secretResourceVersion: version });
          log(`${name}: ESO synced the ${prefix ? 'rolled-back' : 'new'} value into Secret ${secretKey} (refreshTime ${status?.refreshTime})`);
          break;
        }
        if (now().getTime() >= deadline) {
          throw new Error(`eso: ExternalSecret ${es.namespace}/${es.name} has not synced the ${prefix ? 'rolled-back' : 'new'} value within ${Math.round(timeout / 1000)}s: ${missing}. Not restarting (the pods would start on the old value); check \`kubectl describe externalsecret ${es.name} -n ${es.namespace}\`, then run the same command again to resume (--sync-timeout to wait longer)`);
        }
        await sleep(Math.min(SYNC_POLL_MS, Math.max(0, deadline - now().getTime())));
      }
    } catch (err) {
      journal.append(name, 'failed', undefined, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
  return true;
}

/** What to run once ArgoCD has synced the --gitops commit, for consumers that were not restarted. */
export function deferredRestartLines(plan: RemediationPlan, prefix: string): string[] {
  const waiting = plan.consumers.filter((c) => restartable(c) && !c.vso);
  const es = plan.externalSecrets[0]!;
  return [
    `${prefix}restart: after ArgoCD has synced the commit, run this same command again: it waits until ESO reports the new value synced, then restarts ${waiting.map((c) => `${c.kind} ${c.namespace}/${c.name}`).join(', ')}.`,
    `${prefix}restart: or by hand, once \`kubectl get externalsecret ${es.name} -n ${es.namespace} -o jsonpath='{.status.refreshTime}'\` is after the force-sync: ${waiting.map((c) => `kubectl rollout restart ${c.kind.toLowerCase()}/${c.name} -n ${c.namespace}`).join('; ')}`,
  ];
}
