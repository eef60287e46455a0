// The remediation plan: everything apply will do, with every name filled in, and its numbered rendering.
import { createHash } from 'node:crypto';
import { terminalMedium, type Medium } from '../report/escape.js';
import type { ReportedFinding } from '../report/parse.js';
import type { RepoRef } from './github/repo-ref.js';
import type { Issuer } from './issuer.js';
import type { Journal, JournalEntry } from './journal.js';
import { needsRestart, type Consumer } from './k8s/consumers.js';
import { filterRepoCommand } from './purge.js';
import { isVaultTarget, secretName, storeLabel, targetName, type StoreTarget } from './target.js';
import { revokeChecklistItem } from './revoke/index.js';
import type { PlannedRevocation } from './revoke/providers.js';
import { runbookPlanLines } from './runbook-steps.js';

/** The finding being remediated, as it may be written to journals and issues (redacted value only). */
export type IncidentFinding = Pick<
  ReportedFinding,
  'fingerprint' | 'ruleId' | 'description' | 'severity' | 'path' | 'startLine' | 'startColumn' | 'secretLength' | 'identifier' | 'provenance'
> & {
  /** Redacted form of the value (`ghp_…(40 chars)`), as reports show it. */
  redacted: string;
  /** The report file's name (no directory). */
  report: string;
  /** For working-tree findings: the commit that first added the file, when the scan root is a git repository. */
  since?: { commit: string; date: string };
};

export interface PlannedExternalSecret {
  namespace: string;
  name: string;
  apiVersion: string;
  targetName: string;
  /** Manifest in the infra repo (for --gitops). */
  file?: string;
  /** remoteRef.version it pins for the target: ESO keeps serving that version, so --apply refuses until it is unpinned. */
  pinnedVersion?: string;
}

/** A VaultStaticSecret that copies the target's path: VSO picks the new version up on its own. */
export interface PlannedVaultStaticSecret {
  namespace: string;
  name: string;
  destinationName: string;
  refreshAfter?: string;
  rolloutRestartTargets: { kind: string; name: string }[];
  file?: string;
}

/** What `--apply` will do. Serialisable: the journal stores it so a resumed run does the same thing. */
export interface RemediationPlan {
  incident: string;
  finding?: IncidentFinding;
  target: StoreTarget;
  vaultNamespace?: string;
  /** Vault's current value was compared in memory with the leaked value and is the same. */
  confirmed: boolean;
  externalSecrets: PlannedExternalSecret[];
  /** Vault Secrets Operator readers of the target path (absent in plans journaled before VSO support). */
  vaultStaticSecrets?: PlannedVaultStaticSecret[];
  consumers: Consumer[];
  /** Set in --gitops mode: the infra repository whose manifests are edited instead of calling the API. */
  gitopsRoot?: string;
  restart: boolean;
  github?: RepoRef;
  /** The incident issue may be opened in a public repository (--allow-public-issue); otherwise a public one is refused. */
  allowPublicIssue?: boolean;
  /** Where the new value comes from. */
  newValue: 'generated' | 'generator' | 'stdin';
  /** Who issues the secret: a random value only for one the team issues (absent in plans journaled before). */
  issuer?: Issuer;
  /** The provider of the leaked value, told from its public prefix, and how it is revoked. */
  revocation?: PlannedRevocation;
  /** --revoke: revoke the replaced value at its provider's API once the new one is in place. */
  revoke?: boolean;
  /** --audit-log: the Vault file audit device log (absolute) to summarise the leak window's reads from. */
  auditLog?: string;
  /** --destroy-leaked-version: destroy the KV v2 versions that held the leaked value after the rotation. */
  destroyLeakedVersion?: boolean;
}

/** True when apply would write a random value where only the provider can issue a valid one. */
export function randomForProviderValue(plan: RemediationPlan): boolean {
  return plan.newValue === 'generated' && plan.issuer?.by !== 'team';
}

/** A stable incident id for an input key (finding fingerprint or Vault target), so a re-run finds its journal. */
export function incidentId(key: string): string {
  return `inc-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/** Builds the incident view of a reported finding with the redacted form of its value. */
export function incidentFinding(f: ReportedFinding, redacted: string, report: string): IncidentFinding {
  const out: IncidentFinding = {
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    description: f.description,
    severity: f.severity,
    path: f.path,
    startLine: f.startLine,
    startColumn: f.startColumn,
    secretLength: f.secretLength,
    redacted,
    provenance: f.provenance,
    report,
  };
  if (f.identifier) out.identifier = f.identifier;
  return out;
}

/** Quotes a word for a POSIX shell when it needs quoting. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Kubernetes kinds a rollout restart is done for through the API. */
export function restartable(c: Consumer): boolean {
  return c.kind === 'Deployment' && needsRestart(c);
}

/** `VaultStaticSecret ns/name` with what VSO does after the rotation, for plans and logs (names escaped for `medium`). */
export function vsoSyncLine(v: PlannedVaultStaticSecret, medium: Medium = terminalMedium): string {
  const t = medium.text;
  const when = v.refreshAfter
    ? `on its own within refreshAfter (${t(v.refreshAfter)})`
    : 'only when the VaultStaticSecret changes (no refreshAfter is set: edit it, e.g. an annotation, to trigger a sync)';
  const restarts = v.rolloutRestartTargets.length > 0 ? `; then VSO rollout-restarts ${v.rolloutRestartTargets.map((r) => t(`${r.kind} ${v.namespace}/${r.name}`)).join(', ')} (rolloutRestartTargets)` : '';
  return `VaultStaticSecret ${t(`${v.namespace}/${v.name}`)} copies the new version into Secret ${t(v.destinationName)} ${when}: no force-sync for VSO${restarts}`;
}

function consumerLine(c: Consumer): string {
  const how = c.modes.map((m) => (m === 'env' && c.envNames.length > 0 ? `env ${c.envNames.join(', ')}` : m)).join(', ');
  return `${c.kind} ${c.namespace}/${c.name} (reads it via ${how})`;
}

/** When the value first leaked: the history finding's commit date, or when the file was first committed. */
export function leakDate(finding: IncidentFinding | undefined): string | undefined {
  if (finding?.provenance.kind === 'git' && finding.provenance.date) return finding.provenance.date;
  return finding?.since?.date;
}

/** Where to look for who read the secret during the leak window: Vault's audit log, or CloudTrail. */
function auditItem(t: StoreTarget, vaultNamespace: string | undefined, since: string, until: string, { text, code }: Medium): string {
  if (isVaultTarget(t)) return `Review the Vault audit log for reads of ${code(`${t.mount}/data/${t.path}`)}${vaultNamespace ? ` (namespace ${text(vaultNamespace)})` : ''} from ${since} until ${until}.`;
  return `Review CloudTrail (region ${text(t.region)}) for GetSecretValue calls on ${code(t.secretId)} from ${since} until ${until}, by principal and source IP.`;
}

/** The rotate step of the plan for the target's store. */
function rotateLine(t: StoreTarget, source: string): string {
  if (isVaultTarget(t)) return `Rotate: read the current version of ${t.mount}/${t.path}, then PATCH only "${t.property}" to ${source}, with cas=<that version> (the other keys stay; never a full put).`;
  const what = t.property === undefined ? 'the whole SecretString' : `only the JSON key "${t.property}" (the other keys stay)`;
  return `Rotate: read the AWSCURRENT version of ${t.secretId} in ${t.region}, check with DescribeSecret that it is still AWSCURRENT, then PutSecretValue with ${what} set to ${source} and a ClientRequestToken journaled first: the new version becomes AWSCURRENT, the leaked one AWSPREVIOUS.`;
}

/** Checklist lines already done (the revocation, when the journal says so), for the incident issue. */
export function checklistDone(plan: RemediationPlan, entries: readonly JournalEntry[]): string[] {
  const revoke = revokeChecklistItem(plan.revocation, entries, '');
  return plan.issuer?.by !== 'team' && revoke.done ? [revoke.text] : [];
}

/**
 * What is left to people after apply, as checklist lines, every name escaped for `medium` (the terminal by default);
 * with the journal's entries, a revocation done is left out.
 */
export function checklist(plan: RemediationPlan, rotatedAt?: string, medium: Medium = terminalMedium, entries?: readonly JournalEntry[]): string[] {
  const { text, code } = medium;
  const what = plan.finding ? ` (${text(plan.finding.description || plan.finding.ruleId)})` : '';
  const revoke = revokeChecklistItem(plan.revocation, entries, what, plan.revoke, storeLabel(plan.target));
  const items = plan.issuer?.by === 'team'
    ? [`Set the new value where it is checked (the database user, the service that verifies it) and retire the leaked one there: rotating it in ${storeLabel(plan.target)} only changes what the clients send${what}.`]
    : revoke.done ? [] : [revoke.text];
  if (plan.finding) {
    items.push(`Purge it from git history: ${code(filterRepoCommand(plan.finding))} (in a fresh clone; it rewrites every commit).`);
    items.push('Force-push the rewritten history (`git push --force --all && git push --force --tags`), tell the team to re-clone, and ask the host to drop cached views and pull-request refs.');
  }
  const since = text(leakDate(plan.finding) ?? 'the first commit of the leaked file');
  if (plan.auditLog && isVaultTarget(plan.target)) items.push(`Check that every client identity that read ${code(`${plan.target.mount}/data/${plan.target.path}`)} during the leak window (summarised from ${text(plan.auditLog)}) is an expected consumer; treat any other as a use of the leaked value.`);
  else items.push(auditItem(plan.target, plan.vaultNamespace, since, rotatedAt ?? 'the rotation', medium));
  const restarts = plan.consumers.filter(needsRestart).filter((c) => !(plan.restart && restartable(c)));
  if (restarts.length > 0) items.push(`Restart the consumers that read it${restarts.some((c) => c.vso) ? '' : ' as env vars'}: ${restarts.map((c) => text(`${c.kind} ${c.namespace}/${c.name}`)).join(', ')}.`);
  else if (plan.consumers.length === 0) items.push('Restart whatever reads this secret outside the manifests found (no consumer was found).');
  return items;
}

/** `  [done]`, `  [failed: …]` or `  [started: …]` for a step of the journal; empty without one. */
export function status(journal: Journal | undefined, step: string): string {
  if (!journal) return '';
  if (journal.done(step)) return '  [done]';
  const last = journal.last(step);
  return last?.event === 'failed' ? '  [failed: will resume here]' : last?.event === 'intent' ? '  [started: will check whether it landed before doing it again]' : '';
}

/** The numbered steps of the plan, with every name filled in; with a journal, each step's state. */
export function renderPlan(plan: RemediationPlan, journal?: Journal, env: Record<string, string | undefined> = {}): string {
  const t = plan.target;
  const lines: string[] = [`Incident ${plan.incident}${journal?.exists ? ` (journal: ${journal.file})` : ''}`];
  if (plan.finding) {
    const f = plan.finding;
    lines.push(`Finding: ${f.ruleId} at ${f.path}:${f.startLine}:${f.startColumn}, value ${f.redacted}${f.identifier ? `, named ${f.identifier}` : ''}`);
    if (f.provenance.kind === 'git') lines.push(`Leaked in commit ${f.provenance.commit}${f.provenance.date ? ` on ${f.provenance.date}` : ''}`);
    else if (f.since) lines.push(`In history since commit ${f.since.commit} on ${f.since.date}`);
  }
  lines.push(`${storeLabel(t)}: ${targetName(t)}${plan.vaultNamespace && isVaultTarget(t) ? ` (namespace ${plan.vaultNamespace})` : ''}${plan.confirmed ? ', confirmed: its current value is the leaked value' : `, not confirmed against ${storeLabel(t)}`}`);
  if (plan.issuer) {
    const needs = plan.issuer.by === 'team' ? 'a random value is a valid new one' : 'the new value must be issued by the provider (its console, CLI or API) and given with --value-stdin or --generator; a random one would not work';
    lines.push(`Issued by: ${plan.issuer.by === 'team' ? 'the team' : 'a provider'} (${plan.issuer.reason}): ${needs}`);
  }
  lines.push('', 'Steps:');
  let n = 1;
  const source = randomForProviderValue(plan)
    ? 'the value the provider issues (not given yet: --apply refuses a random value for it; give --value-stdin or --generator)'
    : plan.newValue === 'generated' ? 'a random value with the same length and character classes' : plan.newValue === 'generator' ? 'the value printed by --generator' : 'the value read from stdin';
  lines.push(`${n++}. ${rotateLine(t, source)}${status(journal, 'rotate')}`);
  if (plan.externalSecrets.length === 0 && (plan.vaultStaticSecrets ?? []).length === 0) lines.push(`${n++}. Sync: no ExternalSecret or VaultStaticSecret reads ${secretName(t)} in the infra repo: nothing to force-sync.`);
  for (const es of plan.externalSecrets) {
    if (es.pinnedVersion !== undefined) {
      lines.push(`${n++}. Unpin first: ExternalSecret ${es.namespace}/${es.name}${es.file ? ` (${es.file})` : ''} pins remoteRef.version ${es.pinnedVersion}: ESO keeps serving that version after the rotation, so a force-sync or a restart would not bring the new value. Remove the pin (ESO then reads the latest version), sync it, and run again: --apply refuses until then.`);
      continue;
    }
    lines.push(
      plan.gitopsRoot
        ? `${n++}. Sync: set metadata.annotations.force-sync=<unix time> on ExternalSecret ${es.namespace}/${es.name} in ${es.file ?? '?'} (--gitops), then commit and push it.${status(journal, 'gitops')}`
        : `${n++}. Sync: annotate ExternalSecret ${es.namespace}/${es.name} with force-sync=<unix time> (merge patch) so ESO refreshes Secret ${es.targetName} now.${status(journal, `sync:${es.namespace}/${es.name}`)}`,
    );
  }
  for (const v of plan.vaultStaticSecrets ?? []) lines.push(`${n++}. Sync: ${vsoSyncLine(v)}.`);
  for (const c of plan.consumers) {
    if (c.vso === 'restarts') lines.push(`${n++}. No restart by spillway: ${consumerLine(c)}; VSO restarts it after its sync (rolloutRestartTargets).`);
    else if (c.vso === 'manual' && plan.restart && restartable(c)) lines.push(`${n++}. Restart: rollout restart of ${consumerLine(c)}, once VSO's refreshAfter has passed after the rotation (no rolloutRestartTargets).${status(journal, `restart:${c.namespace}/${c.name}`)}`);
    else if (c.vso === 'manual') {
      const how = plan.restart ? 'not a Deployment: restart it by hand' : 'not done without --restart';
      lines.push(`${n++}. Restart offered (${how}; no rolloutRestartTargets): ${consumerLine(c)}: files under its mount update in place after VSO's sync, but a process that read them at start keeps the old value: kubectl rollout restart ${c.kind.toLowerCase()}/${c.name} -n ${c.namespace}`);
    } else if (plan.restart && restartable(c)) {
      const after = plan.gitopsRoot
        ? 'once the force-sync commit is pushed, ArgoCD has synced it and ESO reports the new value synced (until then a run says what to run; run it again after the sync)'
        : 'once ESO reports the new value synced (Ready=True, a new refreshTime, target Secret rewritten; waits up to --sync-timeout)';
      lines.push(`${n++}. Restart: rollout restart of ${consumerLine(c)}, ${after}.${status(journal, `restart:${c.namespace}/${c.name}`)}`);
    }
    else if (needsRestart(c)) {
      const how = plan.restart ? 'not a Deployment: restart it by hand' : 'not done without --restart';
      lines.push(`${n++}. Restart needed (${how}): ${consumerLine(c)}: kubectl rollout restart ${c.kind.toLowerCase()}/${c.name} -n ${c.namespace}`);
    }
    else lines.push(`${n++}. No restart needed: ${consumerLine(c)}; mounted files update in place.`);
  }
  const visibility = plan.allowPublicIssue ? ' (even if the repository is public: --allow-public-issue)' : ' (refused if the repository is public: it would tell everyone what leaked and what is still open)';
  for (const line of runbookPlanLines(plan, journal, env)) lines.push(`${n++}. ${line}`);
  if (plan.github) lines.push(`${n++}. Record: open an issue in ${plan.github.owner}/${plan.github.repo} labelled security, incident${visibility}.${status(journal, 'issue')}`);
  else lines.push(`${n++}. Record: no --github given and no [remediate] issue-repo configured: no issue is opened.`);
  lines.push('', 'Left to people:', ...checklist(plan).map((c) => `- [ ] ${c}`));
  return `${lines.join('\n')}\n`;
}
