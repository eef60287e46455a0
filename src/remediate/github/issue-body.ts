// The incident issue: title and body from the plan and the journal; redacted finding only, never a value.
import type { JournalEntry } from '../journal.js';
import { needsRestart } from '../k8s/consumers.js';
import { checklist, restartable, vsoSyncLine, type RemediationPlan } from '../plan.js';
import { isVaultTarget, storeLabel, targetName } from '../target.js';

/** The marker that lets a resumed run find the issue it already opened. */
export function incidentMarker(id: string): string {
  return `<!-- spillway-incident: ${id} -->`;
}

/** The marker of the comment a rollback adds, so a resumed rollback does not comment twice. */
export function rollbackMarker(id: string): string {
  return `<!-- spillway-rollback: ${id} -->`;
}

/** The comment a rollback adds to the incident issue: what was rolled back, synced and restarted, and that the leaked value is back. */
export function rollbackComment(plan: RemediationPlan, entries: readonly JournalEntry[]): string {
  const lines = [rollbackMarker(plan.incident), '', '## Rolled back', ''];
  for (const e of entries.filter((x) => x.event === 'done' && x.step.startsWith('rollback'))) {
    const d = e.data ?? {};
    if (e.step === 'rollback') lines.push(`- ${e.at}: wrote version ${d.restoredFrom}'s value of ${code(targetName(plan.target))} back as version ${d.newVersion} (${isVaultTarget(plan.target) ? 'check-and-set' : 'PutSecretValue after checking AWSCURRENT'}).`);
    else if (e.step.startsWith('rollback-sync:')) lines.push(`- ${e.at}: forced a sync of ExternalSecret ${code(e.step.slice('rollback-sync:'.length))} (force-sync=${d.forceSync}).`);
    else if (e.step === 'rollback-gitops') lines.push(`- ${e.at}: set force-sync=${d.forceSync} in ${(d.files as string[] | undefined)?.map(code).join(', ') ?? 'the manifests'}; to commit: ${code(String(d.commit))}.`);
    else if (e.step.startsWith('rollback-synced:')) lines.push(`- ${e.at}: ESO synced ExternalSecret ${code(e.step.slice('rollback-synced:'.length))} (refreshTime ${d.refreshTime}).`);
    else if (e.step.startsWith('rollback-restart:')) lines.push(`- ${e.at}: rollout restart of Deployment ${code(e.step.slice('rollback-restart:'.length))}.`);
  }
  const restarted = (c: { namespace: string; name: string }) => entries.some((e) => e.event === 'done' && e.step === `rollback-restart:${c.namespace}/${c.name}`);
  for (const c of plan.consumers.filter((c) => needsRestart(c) && !restarted(c))) lines.push(`- Not restarted: ${c.kind} ${code(`${c.namespace}/${c.name}`)} (it keeps the value it started with until restarted).`);
  lines.push('', `**${storeLabel(plan.target)} holds the leaked value again.** Revoke it at the provider anyway, and rotate again once the reason for the rollback is fixed: the incident is not over.`, '');
  return `${lines.join('\n')}\n`;
}

/** `Leaked <rule> in <path>:<line>` for findings, `Rotated <target>` for explicit targets. */
export function issueTitle(plan: RemediationPlan): string {
  const f = plan.finding;
  return f ? `Leaked ${f.ruleId} in ${f.path}:${f.startLine}` : `Rotated ${targetName(plan.target)} (incident ${plan.incident})`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The issue body: the redacted finding, where and since when it leaked, what was done, and the checklist. */
export function issueBody(plan: RemediationPlan, entries: readonly JournalEntry[]): string {
  const lines: string[] = [incidentMarker(plan.incident), ''];
  const f = plan.finding;
  if (f) {
    lines.push(`## Leaked secret: ${f.description || f.ruleId}`, '', '| | |', '|---|---|');
    lines.push(`| Rule | ${code(f.ruleId)} (${f.severity}) |`);
    lines.push(`| Where | ${code(`${f.path}:${f.startLine}:${f.startColumn}`)}${f.identifier ? ` (${code(f.identifier)})` : ''} |`);
    lines.push(`| Value | ${code(f.redacted)} (redacted) |`);
    lines.push(`| Fingerprint | ${code(f.fingerprint)} |`);
    const p = f.provenance;
    if (p.kind === 'git') {
      lines.push(`| Leaked in | commit ${code(p.commit)}${p.author ? ` by ${p.author}` : ''}${p.date ? ` on ${p.date}` : ''} |`);
      for (const a of p.alsoIn ?? []) lines.push(`| Also in | commit ${code(a.commit)} at ${code(a.path)} |`);
    } else if (f.since) {
      lines.push(`| Committed in | ${code(f.since.commit)} on ${f.since.date} (the commit that added the file), found in the ${p.kind === 'file' ? 'working tree' : p.kind} by the scan in ${code(f.report)} |`);
    } else {
      lines.push(`| Found | in the ${p.kind === 'file' ? 'working tree' : p.kind} by the scan in ${code(f.report)}; the file is not in git history there |`);
    }
  } else {
    lines.push(`## Rotated ${code(targetName(plan.target))}`);
  }
  lines.push('', '## What was done', '');
  const done = entries.filter((e) => e.event === 'done');
  let rotatedAt: string | undefined;
  for (const e of done) {
    const d = e.data ?? {};
    if (e.step === 'rotate') {
      rotatedAt = e.at;
      const how = isVaultTarget(plan.target) ? `${plan.vaultNamespace ? ` (Vault namespace ${code(plan.vaultNamespace)})` : ''} with a check-and-set patch` : ' with PutSecretValue (AWSCURRENT checked first, a journaled ClientRequestToken)';
      lines.push(`- ${e.at}: rotated ${code(targetName(plan.target))}${how}: version ${d.oldVersion} → ${d.newVersion}${d.recovered ? ` (confirmed from ${storeLabel(plan.target)} after an interrupted run)` : ''}.`);
    } else if (e.step.startsWith('sync:')) {
      lines.push(`- ${e.at}: forced a sync of ExternalSecret ${code(e.step.slice(5))} (force-sync=${d.forceSync}).`);
    } else if (e.step === 'gitops') {
      lines.push(`- ${e.at}: set force-sync=${d.forceSync} in ${(d.files as string[] | undefined)?.map(code).join(', ') ?? 'the manifests'}; to commit: ${code(String(d.commit))}.`);
    } else if (e.step.startsWith('synced:')) {
      lines.push(`- ${e.at}: ESO reported ExternalSecret ${code(e.step.slice(7))} synced (refreshTime ${d.refreshTime}); restarts waited for it.`);
    } else if (e.step.startsWith('restart:')) {
      lines.push(`- ${e.at}: rollout restart of Deployment ${code(e.step.slice(8))}.`);
    }
  }
  if (done.length === 0) lines.push('- Nothing yet.');
  else for (const v of plan.vaultStaticSecrets ?? []) lines.push(`- ${vsoSyncLine(v)}.`);
  for (const c of plan.consumers.filter((c) => plan.restart && restartable(c) && !done.some((e) => e.step === `restart:${c.namespace}/${c.name}`))) {
    lines.push(`- Not restarted yet: ${c.kind} ${code(`${c.namespace}/${c.name}`)}.`);
  }
  lines.push('', '## Left to do', '', ...checklist(plan, rotatedAt).map((c) => `- [ ] ${c}`), '');
  lines.push(`_Opened by \`spillway remediate\`; journal ${code(`.spillway/incidents/${plan.incident}.jsonl`)}._`);
  return `${lines.join('\n')}\n`;
}
