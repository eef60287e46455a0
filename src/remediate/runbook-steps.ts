// The runbook's later steps after the rotation: who read it (--audit-log), revoke (--revoke), destroy (--destroy-leaked-version).
import { AUDIT_STEP, auditMarkdown, renderAuditSummary, summariseAuditLog, type AuditSummary } from './audit-log.js';
import type { IssueTracker } from './github/client.js';
import type { FetchLike } from './http.js';
import type { Journal, JournalEntry } from './journal.js';
import { needsRestart } from './k8s/consumers.js';
import { checklistDone, leakDate, restartable, status as stepStatus, type RemediationPlan } from './plan.js';
import { REVOKE_STEP, revokeLeaked, revokePlanLine } from './revoke/index.js';
import { markdownCode } from '../report/escape.js';
import { deprecateLeakedVersion } from './aws/deprecate.js';
import { AwsSecretsManagerStore } from './stores/aws-sm.js';
import type { SecretStore, StoreVersion } from './stores/store.js';
import { isVaultTarget, storeLabel, targetName, type VaultTarget } from './target.js';
import type { KvStore } from './vault/client.js';
import { DESTROY_STEP, destroyLeakedVersions } from './vault/destroy.js';

export interface RunbookDeps {
  /** The store of the plan's target (the revocation reads the leaked value back from it). */
  store: SecretStore;
  /** The Vault client, for --destroy-leaked-version (KV v2 only). */
  vault?: KvStore;
  journal: Journal;
  log: (line: string) => void;
  /** Where SPILLWAY_REVOKE_*_URL overrides are read (default: none, the providers' origins). */
  env?: Record<string, string | undefined>;
  /** The HTTP seam for the revocation requests. */
  fetch?: FetchLike;
  /** Waits between revocation attempts after a 429 (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Comments on the incident issue when revoke or destroy ran after it was opened. */
  issues?: IssueTracker;
}

/** The journal step of that comment, and the marker a resumed run looks for first. */
export const LATE_COMMENT_STEP = 'runbook-issue';
export function runbookMarker(id: string): string {
  return `<!-- spillway-runbook: ${id} -->`;
}

function rotationOf(journal: Journal): { oldVersion: StoreVersion; newVersion: StoreVersion; at: string } {
  const done = journal.done('rotate');
  if (!done) throw new Error(`incident ${journal.id}: the rotation is not journaled as done`);
  return { oldVersion: done.data?.oldVersion as StoreVersion, newVersion: done.data?.newVersion as StoreVersion, at: done.at };
}

/** The plan's Vault target, for the steps only Vault has (its audit log, destroying versions). */
function vaultTarget(plan: RemediationPlan, what: string): VaultTarget {
  if (!isVaultTarget(plan.target)) throw new Error(`${what}: only for a Vault KV v2 target (${storeLabel(plan.target)} has no such step here)`);
  return plan.target;
}

/** The KV v2 data path of the plan's target, as Vault's audit log records it. */
export function auditPath(plan: RemediationPlan): string {
  const t = vaultTarget(plan, '--audit-log');
  return `${t.mount}/data/${t.path}`;
}

/** Summarises the audit log for the plan's window ending `until` (a plan: now; apply: the rotation). */
export function auditSummaryFor(plan: RemediationPlan, until: string): Promise<AuditSummary> {
  const since = leakDate(plan.finding);
  return summariseAuditLog({ file: plan.auditLog!, path: auditPath(plan), until, ...(since ? { since } : {}), ...(plan.vaultNamespace ? { namespace: plan.vaultNamespace } : {}) });
}

/** Journaled step `audit`: the reads of the leaked path from the leak to the rotation (a pure read: redone if interrupted). */
export async function auditStep(plan: RemediationPlan, deps: RunbookDeps): Promise<void> {
  if (!plan.auditLog) return;
  const { journal, log } = deps;
  if (journal.done(AUDIT_STEP)) return log('audit: already summarised');
  try {
    const summary = await auditSummaryFor(plan, rotationOf(journal).at);
    journal.append(AUDIT_STEP, 'done', { summary: summary as unknown as Record<string, unknown> });
    for (const line of renderAuditSummary(summary)) log(`audit: ${line.trimStart()}`);
  } catch (err) {
    journal.append(AUDIT_STEP, 'failed', undefined, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/** Revokes (--revoke), then destroys the leaked versions (--destroy-leaked-version): the old value is read for revoking first. */
export async function revokeAndDestroy(plan: RemediationPlan, deps: RunbookDeps): Promise<void> {
  if (!plan.revoke && !plan.destroyLeakedVersion) return;
  const rotation = rotationOf(deps.journal);
  if (plan.revoke && plan.revocation?.api) await revokeLeaked(plan.revocation, plan.target, rotation, { ...deps, env: deps.env ?? {} });
  if (!plan.destroyLeakedVersion) return;
  if (!isVaultTarget(plan.target)) {
    if (!(deps.store instanceof AwsSecretsManagerStore)) throw new Error(`--destroy-leaked-version: no AWS Secrets Manager client configured for ${targetName(plan.target)}`);
    return deprecateLeakedVersion(deps.store, plan.target, String(rotation.oldVersion), deps.journal, deps.log);
  }
  if (!deps.vault) throw new Error('--destroy-leaked-version: no Vault client configured');
  await destroyLeakedVersions(deps.vault, vaultTarget(plan, '--destroy-leaked-version'), { oldVersion: Number(rotation.oldVersion), newVersion: Number(rotation.newVersion) }, deps.journal, deps.log);
}

/** The plan's numbered lines for the steps asked for (without the numbers), with each step's journal state. */
export function runbookPlanLines(plan: RemediationPlan, journal: Journal | undefined, env: Record<string, string | undefined>): string[] {
  const lines: string[] = [];
  if (plan.auditLog) {
    lines.push(`Audit: read the Vault audit log ${plan.auditLog} (streamed) for reads of ${auditPath(plan)}${plan.vaultNamespace ? ` in namespace ${plan.vaultNamespace}` : ''} from ${leakDate(plan.finding) ?? 'its first entry'} until the rotation, by client identity (no token, accessor or HMAC'd value is shown).${stepStatus(journal, AUDIT_STEP)}`);
  }
  if (plan.revoke) {
    const stale = plan.consumers.filter((c) => needsRestart(c) && !(plan.restart && restartable(c)));
    const warning = plan.revocation?.api && stale.length > 0 ? ` NOTE: ${stale.map((c) => `${c.kind} ${c.namespace}/${c.name}`).join(', ')} keep${stale.length === 1 ? 's' : ''} the old value until restarted (not done by spillway here): the revocation breaks ${stale.length === 1 ? 'it' : 'them'} until then.` : '';
    lines.push(`${revokePlanLine(plan.revocation, env)}${warning}${stepStatus(journal, REVOKE_STEP)}`);
  }
  if (plan.destroyLeakedVersion) {
    const t = plan.target;
    if (!isVaultTarget(t)) {
      lines.push(`Deprecate: after the rotation${plan.revoke ? ' and the revocation' : ''}, remove the labels (AWSPREVIOUS) of the version the rotation replaced with UpdateSecretVersionStage: it is then deprecated, no client asking for a stage gets it, Secrets Manager may delete it, and --rollback refuses.${stepStatus(journal, DESTROY_STEP)}`);
    } else lines.push(`Destroy: after the rotation${plan.revoke ? ' and the revocation' : ''}, read the versions of ${t.mount}/${t.path} before the new one (metadata, then data?version=N), compare "${t.property}" with the replaced value by SHA-256 in memory, and POST ${t.mount}/destroy/${t.path} {"versions": [those]}: they can never be read again, and --rollback then refuses.${stepStatus(journal, DESTROY_STEP)}`);
  }
  return lines;
}

/** The issue's lines about the revocation and the destroyed versions, from the journal. */
export function runbookDoneLines(plan: RemediationPlan, entries: readonly JournalEntry[]): string[] {
  const lines: string[] = [];
  for (const e of entries.filter((x) => x.event === 'done')) {
    const d = e.data ?? {};
    if (e.step === REVOKE_STEP) {
      const how = d.outcome === 'revoked' ? 'revoked the leaked token through its API' : d.outcome === 'already-invalid' ? 'found that it no longer accepts the leaked token' : 'may have received the revocation (interrupted run: not sent again; check at the provider)';
      lines.push(`- ${e.at}: ${String(d.provider)} ${how}.`);
    } else if (e.step === DESTROY_STEP && !isVaultTarget(plan.target)) {
      lines.push(`- ${e.at}: deprecated version ${markdownCode(String((d.versions as string[] | undefined)?.[0]))} of ${markdownCode(targetName(plan.target))} (it held the leaked value; its labels were removed, so no stage reads it and Secrets Manager may delete it).`);
    } else if (e.step === DESTROY_STEP) {
      const versions = (d.versions as number[] | undefined) ?? [];
      const unreadable = (d.unreadable as number[] | undefined) ?? [];
      lines.push(`- ${e.at}: ${versions.length > 0 ? `destroyed version(s) ${versions.join(', ')} of ${markdownCode(isVaultTarget(plan.target) ? `${plan.target.mount}/${plan.target.path}` : targetName(plan.target))} (they held the leaked value; no rollback can bring them back)` : 'no earlier version held the leaked value: nothing to destroy'}${unreadable.length > 0 ? `; soft-deleted version(s) ${unreadable.join(', ')} could not be compared` : ''}.`);
    }
  }
  return lines;
}

/** The issue's audit section, when the journal has the summary. */
export function auditSection(entries: readonly JournalEntry[]): string[] {
  const summary = entries.find((e) => e.step === AUDIT_STEP && e.event === 'done')?.data?.summary as AuditSummary | undefined;
  return summary ? auditMarkdown(summary) : [];
}

/**
 * When revoke or destroy ran after the incident issue was opened (they waited for a --gitops sync), says so on the
 * issue, once: a comment with the runbook marker is looked for first.
 */
export async function commentLateSteps(plan: RemediationPlan, deps: RunbookDeps): Promise<void> {
  const { journal, log } = deps;
  const entries = journal.entries();
  const opened = entries.findIndex((e) => e.step === 'issue' && e.event === 'done');
  if (!plan.github || opened < 0 || journal.done(LATE_COMMENT_STEP)) return;
  const late = entries.slice(opened + 1).filter((e) => e.event === 'done' && (e.step === REVOKE_STEP || e.step === DESTROY_STEP));
  if (late.length === 0) return;
  const issues = deps.issues;
  if (!issues) throw new Error('github: no client configured to update the incident issue (set GITHUB_TOKEN)');
  const number = Number(entries[opened]!.data?.number);
  const revoked = checklistDone(plan, entries).map((c) => `- [x] ${c}`);
  const body = [runbookMarker(plan.incident), '', '## Done after the issue was opened', '', ...runbookDoneLines(plan, late), ...(revoked.length > 0 ? ['', ...revoked] : []), ''].join('\n');
  try {
    const existing = await issues.findComment(plan.github, number, runbookMarker(plan.incident));
    const url = existing ?? (await issues.addComment(plan.github, number, body));
    journal.append(LATE_COMMENT_STEP, 'done', { number, url, ...(existing ? { recovered: true } : {}) });
    log(`${LATE_COMMENT_STEP}: ${existing ? 'found the comment made before on' : 'commented on'} #${number} ${url}`);
  } catch (err) {
    journal.append(LATE_COMMENT_STEP, 'failed', undefined, err instanceof Error ? err.message : String(err));
    throw err;
  }
}
