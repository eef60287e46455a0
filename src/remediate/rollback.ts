// --rollback <id>: writes the value of the version before the rotation back (a new version, with cas) and re-syncs.
import { Conflict } from './errors.js';
import { forceSync, reconcileWrite, type ApplyDeps, type Rotation } from './apply.js';
import type { Journal } from './journal.js';
import { vsoSyncLine, type RemediationPlan } from './plan.js';
import { targetName } from './target.js';

/** The plan an incident's journal recorded, or an Error saying why there is none. */
export function journaledPlan(journal: Journal): RemediationPlan {
  const plan = journal.done('plan')?.data?.plan as RemediationPlan | undefined;
  if (!plan) throw new Error(`${journal.file}: no journaled incident ${journal.id} (was it applied from this directory? see --journal-dir)`);
  return plan;
}

/**
 * Rolls back incident `journal.id`: reads version oldVersion's value of the property, patches it back with
 * cas=<the rotation's version> (refusing if Vault moved on since), then forces a sync again. Journaled and idempotent.
 */
export async function rollback(deps: Omit<ApplyDeps, 'newValue'>): Promise<void> {
  const { journal, vault, log } = deps;
  const plan = journaledPlan(journal);
  const rotated = journal.done('rotate')?.data as unknown as Rotation | undefined;
  if (!rotated) throw new Error(`incident ${journal.id}: nothing to roll back, the rotation never completed`);
  const t = plan.target;
  const done = journal.done('rollback');
  if (done) log(`rollback: already done (version ${String(done.data?.newVersion)} holds version ${rotated.oldVersion}'s value)`);
  else {
    try {
      const previous = await vault.read(t.mount, t.path, rotated.oldVersion);
      const value = previous.values.get(t.property);
      if (!value) throw new Error(`vault: version ${rotated.oldVersion} of ${t.mount}/${t.path} has no "${t.property}" (deleted or destroyed?)`);
      const intent = journal.pendingIntent('rollback');
      const recovered = intent ? await reconcileWrite(vault, t, Number(intent.data?.readVersion), value) : undefined;
      if (recovered) journal.append('rollback', 'done', { newVersion: recovered.newVersion, restoredFrom: rotated.oldVersion, recovered: true });
      else {
        const meta = await vault.metadata(t.mount, t.path);
        if (meta.currentVersion !== rotated.newVersion) {
          throw new Conflict(`vault: ${targetName(t)} is at version ${meta.currentVersion}, not the rotation's ${rotated.newVersion}: it changed since; roll back by hand`, { service: 'vault' });
        }
        journal.append('rollback', 'intent', { readVersion: meta.currentVersion, restoreFrom: rotated.oldVersion });
        const version = await vault.patch(t.mount, t.path, { [t.property]: value }, meta.currentVersion);
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
}
