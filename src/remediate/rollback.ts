// --rollback <id>: writes the value of the version before the rotation back (a new version, with cas), re-syncs, restarts
// the consumers once ESO has synced it, and says so on the incident issue.
import { Conflict } from './errors.js';
import { forceSync, restart, storeOf, type ApplyDeps, type Rotation } from './apply.js';
import { recordSecretVersions } from './eso-sync.js';
import { rollbackComment, rollbackMarker } from './github/issue-body.js';
import type { Journal } from './journal.js';
import { vsoSyncLine, type RemediationPlan } from './plan.js';
import type { WriteIntent } from './stores/store.js';
import { isVaultTarget, secretName, targetName, targetProperty } from './target.js';
import { refuseRevokedRollback } from './revoke/index.js';
import { refuseDestroyedRollback } from './vault/destroy.js';

/** The plan an incident's journal recorded, or an Error saying why there is none. */
export function journaledPlan(journal: Journal): RemediationPlan {
  const plan = journal.done('plan')?.data?.plan as RemediationPlan | undefined;
  if (!plan) throw new Error(`${journal.file}: no journaled incident ${journal.id} (journals live in $XDG_STATE_HOME/spillway/incidents unless --journal-dir says otherwise)`);
  return plan;
}

/** Comments on the incident's issue (once: a comment with the rollback marker is looked for first). */
async function recordRollback(plan: RemediationPlan, deps: Omit<ApplyDeps, 'newValue'>): Promise<void> {
  const { journal, log } = deps;
  const opened = journal.done('issue');
  const repo = plan.github;
  if (!repo || !opened) return;
  const done = journal.done('rollback-issue');
  if (done) return log(`rollback-issue: already commented (${String(done.data?.url)})`);
  const issues = deps.issues;
  if (!issues) throw new Error('github: no client configured to update the incident issue (set GITHUB_TOKEN)');
  const number = Number(opened.data?.number);
  try {
    const existing = await issues.findComment(repo, number, rollbackMarker(plan.incident));
    const url = existing ?? (await issues.addComment(repo, number, rollbackComment(plan, journal.entries())));
    journal.append('rollback-issue', 'done', { number, url, ...(existing ? { recovered: true } : {}) });
    log(`rollback-issue: ${existing ? 'found the comment made before on' : 'commented on'} #${number} ${url}`);
  } catch (err) {
    journal.append('rollback-issue', 'failed', undefined, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/**
 * Rolls back incident `journal.id`: reads version oldVersion's value of the property, patches it back with
 * cas=<the rotation's version> (refusing if Vault moved on since), forces a sync again, restarts the consumers once ESO
 * has synced it (as apply does), and comments on the incident issue. Journaled and idempotent. Returns false when the
 * restarts wait for a --gitops commit to be synced.
 */
export async function rollback(deps: Omit<ApplyDeps, 'newValue'>, plan: RemediationPlan = journaledPlan(deps.journal)): Promise<boolean> {
  const { journal, log } = deps;
  const rotated = journal.done('rotate')?.data as unknown as Rotation | undefined;
  if (!rotated) throw new Error(`incident ${journal.id}: nothing to roll back, the rotation never completed`);
  const t = plan.target;
  const store = storeOf(deps, t);
  const label = isVaultTarget(t) ? 'vault' : 'aws-sm';
  const property = targetProperty(t);
  const done = journal.done('rollback');
  if (done) log(`rollback: already done (version ${String(done.data?.newVersion)} holds version ${rotated.oldVersion}'s value)`);
  else {
    try {
      refuseDestroyedRollback(journal, t, rotated.oldVersion);
      refuseRevokedRollback(journal);
      const previous = await store.read(t, rotated.oldVersion);
      const value = previous.values.get(property);
      if (!value) throw new Error(`${label}: version ${rotated.oldVersion} of ${secretName(t)} has no "${property}" (deleted or destroyed?)`);
      await recordSecretVersions(plan, deps, 'rollback-');
      const intent = journal.pendingIntent('rollback');
      const recovered = intent ? await store.reconcile(t, intent.data as WriteIntent, value) : undefined;
      if (recovered) journal.append('rollback', 'done', { newVersion: recovered.newVersion, restoredFrom: rotated.oldVersion, recovered: true });
      else {
        const current = await store.currentVersion(t);
        if (current !== rotated.newVersion) {
          throw new Conflict(`${label}: ${targetName(t)} is at version ${current}, not the rotation's ${rotated.newVersion}: it changed since; roll back by hand`, { service: label === 'vault' ? 'vault' : 'aws-secretsmanager' });
        }
        const write = store.intent(current);
        journal.append('rollback', 'intent', { ...write, restoreFrom: rotated.oldVersion });
        const version = await store.write(t, value, write);
        journal.append('rollback', 'done', { newVersion: version, restoredFrom: rotated.oldVersion });
      }
      log(`rollback: ${targetName(t)} now holds version ${rotated.oldVersion}'s value again (the leaked one: revoke it at the provider anyway)`);
    } catch (err) {
      journal.append('rollback', 'failed', undefined, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
  await forceSync(plan, deps as ApplyDeps, 'rollback-');
  for (const v of plan.vaultStaticSecrets ?? []) log(`rollback-sync: ${vsoSyncLine(v)}`);
  const restarted = await restart(plan, deps as ApplyDeps, 'rollback-');
  await recordRollback(plan, deps);
  return restarted;
}
