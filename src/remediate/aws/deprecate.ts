// --destroy-leaked-version for AWS Secrets Manager: the version the rotation replaced (AWSPREVIOUS, holding the
// leaked value) loses its labels and becomes deprecated, as UpdateSecretVersionStage documents; no client asking for
// a stage gets it any more, and Secrets Manager may delete it.
import type { Journal } from '../journal.js';
import type { AwsSecretsManagerStore } from '../stores/aws-sm.js';
import { targetName, type AwsSmTarget } from '../target.js';
import { DESTROY_STEP } from '../vault/destroy.js';

/** Journaled as step `destroy` (the version id and labels, never a value); removing a label twice removes nothing. */
export async function deprecateLeakedVersion(store: AwsSecretsManagerStore, target: AwsSmTarget, oldVersion: string, journal: Journal, log: (line: string) => void): Promise<void> {
  if (journal.done(DESTROY_STEP)) return log('deprecate: already done');
  try {
    journal.append(DESTROY_STEP, 'intent', { versions: [oldVersion], deprecate: true });
    const removed = await store.deprecate(target, oldVersion);
    journal.append(DESTROY_STEP, 'done', { versions: [oldVersion], deprecated: removed, unreadable: [] });
    log(`deprecate: version ${oldVersion} of ${targetName(target)} ${removed.length > 0 ? `lost ${removed.join(', ')}: it is deprecated` : 'had no label left (already deprecated)'}`);
  } catch (err) {
    journal.append(DESTROY_STEP, 'failed', undefined, err instanceof Error ? err.message : String(err));
    throw err;
  }
}
