// `spillway remediate`: plan (default) or apply the incident runbook for a leaked secret, or roll one back.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { applyPlan } from '../../remediate/apply.js';
import { renderAuditSummary } from '../../remediate/audit-log.js';
import { buildPlan, type AwsConnector, type PlanRequest, type VaultConnector } from '../../remediate/build-plan.js';
import { readFindingInput, type FindingInput } from '../../remediate/finding-input.js';
import { parseRepoRef } from '../../remediate/github/repo-ref.js';
import { Journal, journalDir } from '../../remediate/journal.js';
import type { ClusterApi } from '../../remediate/k8s/client.js';
import type { Consumer } from '../../remediate/k8s/consumers.js';
import type { KvStore } from '../../remediate/vault/client.js';
import { recoverLeakedSpan, recoverLeakedValue } from '../../remediate/leak-value.js';
import { candidateName, type Candidate } from '../../remediate/locate.js';
import { writeMoveManifests } from '../../remediate/move-apply.js';
import { renderMovePlan, type MoveOptions, type MovePlan } from '../../remediate/move-plan.js';
import { incidentId, renderPlan, type RemediationPlan } from '../../remediate/plan.js';
import { writePurgeExpressions } from '../../remediate/purge.js';
import { checkResumedPlan } from '../../remediate/resume-check.js';
import { journaledPlan, rollback } from '../../remediate/rollback.js';
import { auditSummaryFor } from '../../remediate/runbook-steps.js';
import { loadRemediateSettings } from '../../remediate/settings.js';
import { awsFromEnv, clusterFromEnv, issuesFromEnv, newValueSource, vaultFromEnv } from '../../remediate/session.js';
import type { SecretStore } from '../../remediate/stores/store.js';
import { isVaultTarget, parseAwsSecret, parseVaultPath, storeLabel, targetName, type StoreTarget } from '../../remediate/target.js';
import { regionFromEnv } from '../../remediate/aws/credentials.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';
import { terminal } from '../../report/escape.js';

export interface RemediateArgs {
  report?: string;
  finding?: string;
  vaultPath?: string;
  awsSecret?: string;
  awsRegion?: string;
  property?: string;
  infra?: string;
  apply: boolean;
  gitops: boolean;
  restart: boolean;
  github?: string;
  allowPublicIssue: boolean;
  generator?: string;
  valueStdin: boolean;
  syncTimeout: number;
  issuedBy?: 'provider' | 'team';
  rollback?: string;
  journalDir?: string;
  kubeContext?: string;
  team?: string;
  app?: string;
  mount?: string;
  secret?: string;
  purgeExpressions?: string;
  revoke: boolean;
  auditLog?: string;
  destroyLeakedVersion: boolean;
}

function builder(y: Argv) {
  return y
    .option('report', { type: 'string', describe: 'A spillway JSON or SARIF report holding the finding' })
    .option('finding', { type: 'string', describe: 'The finding to remediate: its fingerprint or its index in the report' })
    .option('vault-path', { type: 'string', describe: 'The Vault KV v2 secret as MOUNT/PATH (e.g. apps-prod/team/app/api-config)' })
    .option('aws-secret', { type: 'string', describe: 'The AWS Secrets Manager secret (name or ARN) holding the value; --property names its JSON key (none: the whole SecretString)' })
    .option('aws-region', { type: 'string', describe: 'Region of --aws-secret and of AWS stores that name none (default AWS_REGION, AWS_DEFAULT_REGION, the profile\'s region)' })
    .option('property', { type: 'string', describe: 'The key inside the Vault secret (with --vault-path) or the AWS JSON secret (with --aws-secret); for a value not in Vault, the key to store it under' })
    .option('infra', { type: 'string', describe: 'Infrastructure repository with ExternalSecret, SecretStore and Deployment manifests' })
    .option('apply', { type: 'boolean', default: false, describe: 'Do it: rotate, force-sync, restart, record (default: print the plan only)' })
    .option('gitops', { type: 'boolean', default: false, describe: 'Force-sync by editing the manifests in --infra (print the commit) instead of the Kubernetes API' })
    .option('restart', { type: 'boolean', default: false, describe: 'Rollout-restart the Deployments that read the secret as env vars, once ESO has synced it' })
    .option('github', { type: 'string', describe: 'OWNER/REPO to open the incident issue in (default: [remediate] issue-repo; a public one is refused)' })
    .option('allow-public-issue', { type: 'boolean', default: false, describe: 'Open the incident issue even when the repository is public (refused otherwise)' })
    .option('generator', { type: 'string', describe: 'Shell command printing the new value, e.g. a provider CLI (default: random, for team-issued secrets only)' })
    .option('value-stdin', { type: 'boolean', default: false, describe: 'Read the new value from stdin (at a terminal: typed without echo)' })
    .option('issued-by', { choices: ['provider', 'team'] as const, describe: 'Who issues the secret, when its name and rule cannot tell: a random value only for team-issued ones' })
    .option('sync-timeout', { type: 'number', default: 120, describe: 'Seconds to wait for ESO to report the new value synced before restarting' })
    .option('revoke', { type: 'boolean', default: false, describe: 'Revoke the replaced value at its provider (GitHub, GitLab, Slack APIs) once the new one is in its store and synced' })
    .option('audit-log', { type: 'string', describe: 'A Vault file audit device log (JSON lines): summarise who read the leaked path from the leak until the rotation' })
    .option('destroy-leaked-version', { type: 'boolean', default: false, describe: 'After the rotation, destroy the KV v2 versions that held the leaked value, or deprecate the replaced AWS version (a rollback then refuses)' })
    .option('rollback', { type: 'string', describe: 'Incident id: write the pre-rotation value back, force-sync, restart, comment on the issue' })
    .option('journal-dir', { type: 'string', describe: 'Where incident journals live (default $XDG_STATE_HOME/spillway/incidents)' })
    .option('kube-context', { type: 'string', describe: 'kubeconfig context (default: the current context, as kubectl)' })
    .option('team', { type: 'string', describe: 'For a value not in Vault yet: the team (default: from the shared SecretStore ss-<team>)' })
    .option('app', { type: 'string', describe: 'For a value not in Vault yet: the app (default: the k8s/<app>/ folder of the leaked file, or the scan root\'s name)' })
    .option('mount', { type: 'string', describe: 'For a value not in Vault yet: the KV v2 mount (default: the shared SecretStore\'s path)' })
    .option('secret', { type: 'string', describe: 'For a value not in Vault yet: the Vault secret under <team>/<app>/ (default: api-config)' })
    .option('purge-expressions', { type: 'string', describe: 'Write the finding\'s `git filter-repo --replace-text` expressions to FILE (mode 0600; remove it after) and exit' }) as unknown as Argv<RemediateArgs>;
}

function checkArgs(args: RemediateArgs): void {
  if (!Number.isFinite(args.syncTimeout) || args.syncTimeout < 0) throw new Error(`--sync-timeout: expected a number of seconds, got "${String(args.syncTimeout)}"`);
  if (args.rollback) return;
  if (args.purgeExpressions && !args.report) throw new Error('--purge-expressions: needs --report FILE --finding FINGERPRINT|INDEX (the leak whose value to purge)');
  if (!args.report && !args.vaultPath && !args.awsSecret) throw new Error('give --report FILE --finding FINGERPRINT|INDEX, or --vault-path MOUNT/PATH --property KEY, or --rollback ID (or --aws-secret NAME|ARN [--property KEY] for AWS Secrets Manager)');
  if (args.vaultPath && args.awsSecret) throw new Error('--vault-path and --aws-secret: give one of them');
  if (args.report && !args.finding) throw new Error('--finding: required with --report (a fingerprint or an index)');
  if (args.generator && args.valueStdin) throw new Error('--generator and --value-stdin: give one of them');
  if (args.github) parseRepoRef(args.github);
}

function printCandidates(io: CliIO, reason: string, candidates: Candidate[]): void {
  const aws = candidates.some((c) => c.aws);
  io.stderr(`spillway: cannot tell where the leaked value lives in ${aws ? 'its store' : 'Vault'}: ${reason}.\n`);
  for (const c of candidates) {
    const where = candidateName(c);
    const why = [c.matchedNames.length > 0 ? `name ${c.matchedNames.join(', ')}` : '', c.confirmed ? 'value matches' : '', c.problem ?? ''].filter(Boolean).join('; ');
    const readers = [...c.externalSecrets, ...(c.vaultStaticSecrets ?? []).map((v) => `VaultStaticSecret ${v}`)];
    io.stderr(`  - ${where} (read by ${readers.join(', ')})${why ? `: ${why}` : ''}\n`);
  }
  io.stderr(`Give the right one with --vault-path MOUNT/PATH --property KEY${aws ? ' or --aws-secret NAME --aws-region REGION [--property KEY]' : ''}.\n`);
}

async function apiConsumers(cluster: ClusterApi, plan: RemediationPlan, io: CliIO): Promise<Consumer[]> {
  const out: Consumer[] = [];
  const readers = [
    ...plan.externalSecrets.map((es) => ({ namespace: es.namespace, secret: es.targetName, vso: undefined })),
    ...(plan.vaultStaticSecrets ?? []).map((v) => ({ namespace: v.namespace, secret: v.destinationName, vso: v })),
  ];
  for (const r of readers) {
    for (const c of await cluster.findConsumers(r.namespace, r.secret)) {
      if (r.vso) c.vso = r.vso.rolloutRestartTargets.some((t) => t.kind === c.kind && t.name === c.name) ? 'restarts' : 'manual';
      if (!plan.consumers.some((p) => p.kind === c.kind && p.namespace === c.namespace && p.name === c.name) && !out.some((o) => o.name === c.name && o.namespace === c.namespace)) out.push(c);
    }
  }
  if (out.length > 0) io.stderr(`spillway: found ${out.length} more consumer(s) in the cluster (context ${cluster.context})\n`);
  return out;
}

/** The plan to run: the journaled one when resuming, else a fresh one; undefined after listing ambiguous candidates. */
async function planFor(args: RemediateArgs, io: CliIO, journal: Journal, explicit: StoreTarget | undefined, finding: FindingInput | undefined, connect: VaultConnector, connectAws: AwsConnector) {
  const settings = await loadRemediateSettings(io.env);
  const issueRepo = args.github ? parseRepoRef(args.github) : settings.issueRepo;
  if (journal.done('plan')) {
    const plan = journaledPlan(journal);
    checkResumedPlan(plan, { journalId: journal.id, journalFile: journal.file, ...(finding ? { fingerprint: finding.finding.fingerprint } : {}), ...(explicit ? { explicit } : {}), ...(issueRepo ? { github: issueRepo } : {}) });
    plan.restart ||= args.restart;
    if (!plan.github && args.github) plan.github = parseRepoRef(args.github);
    plan.allowPublicIssue ||= args.allowPublicIssue;
    if (args.revoke) plan.revoke = true;
    if (args.destroyLeakedVersion) plan.destroyLeakedVersion = true;
    if (args.auditLog && !plan.auditLog) plan.auditLog = resolve(io.cwd, args.auditLog);
    io.stderr(`spillway: resuming incident ${plan.incident} from ${journal.file}\n`);
    if (!isVaultTarget(plan.target)) return { kind: 'plan' as const, plan, vault: undefined, store: await connectAws() };
    return { kind: 'plan' as const, plan, vault: await connect(plan.vaultNamespace) };
  }
  const request: PlanRequest = {
    incident: journal.id,
    gitops: args.gitops,
    restart: args.restart,
    newValue: args.generator ? 'generator' : args.valueStdin ? 'stdin' : 'generated',
    requireConfirmed: args.apply,
    ...(args.issuedBy ? { issuedBy: args.issuedBy } : {}),
    warn: (line) => io.stderr(`spillway: warning: ${terminal(line)}\n`),
  };
  if (finding) request.finding = finding;
  if (explicit) request.explicit = explicit;
  if (args.infra) request.infraDir = resolve(io.cwd, args.infra);
  if (io.env.VAULT_NAMESPACE) request.vaultNamespace = io.env.VAULT_NAMESPACE;
  const region = awsRegion(args, io);
  if (region) request.awsRegion = region;
  if (issueRepo) request.github = issueRepo;
  if (args.allowPublicIssue) request.allowPublicIssue = true;
  if (args.revoke) request.revoke = true;
  if (args.auditLog) request.auditLog = resolve(io.cwd, args.auditLog);
  if (args.destroyLeakedVersion) request.destroyLeakedVersion = true;
  request.move = { ...moveOptions(args), layout: settings.layout };
  const built = await buildPlan(request, connect, connectAws);
  if (built.kind === 'ambiguous') {
    printCandidates(io, built.reason, built.candidates);
    return undefined;
  }
  return built;
}

/** --aws-region, else the environment's region (AWS_REGION, AWS_DEFAULT_REGION, the profile's). */
function awsRegion(args: RemediateArgs, io: CliIO): string | undefined {
  return args.awsRegion || regionFromEnv(io.env);
}

/** The store of a plan's target: its Vault client wrapped by applyPlan, or the AWS adapter. */
function storeDeps(plan: RemediationPlan, vault: KvStore | undefined, store: SecretStore | undefined): { vault?: KvStore; store?: SecretStore } {
  return isVaultTarget(plan.target) ? (vault ? { vault } : {}) : store ? { store } : {};
}

function moveOptions(args: RemediateArgs): MoveOptions {
  const options: MoveOptions = {};
  for (const key of ['team', 'app', 'mount', 'secret', 'property'] as const) {
    const value = args[key];
    if (value) options[key] = value;
  }
  return options;
}

/** A value that is not in Vault: print the move plan; with --apply --gitops, write the ExternalSecret into --infra. */
async function runMove(plan: MovePlan, args: RemediateArgs, io: CliIO): Promise<ExitCode> {
  io.stdout(terminal(renderMovePlan(plan), true));
  if (!args.apply) {
    io.stdout('\nThis was a plan: nothing was changed.\n');
    return 0;
  }
  if (!args.gitops) {
    io.stdout('\nNothing is done automatically for a value that is not in Vault: follow the steps above (--gitops --apply writes the manifest).\n');
    return 0;
  }
  const { files, commit } = await writeMoveManifests(plan);
  io.stdout(`\nWrote ${files.join(', ')} in ${plan.infraRoot}; after storing the value in Vault, commit and push it: ${commit}\n`);
  return 0;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function runRollback(args: RemediateArgs, io: CliIO, dir: string): Promise<ExitCode> {
  const journal = Journal.open(dir, args.rollback!);
  const plan = journaledPlan(journal);
  plan.restart ||= args.restart;
  const vault = isVaultTarget(plan.target) ? await vaultFromEnv(io.env, plan.vaultNamespace) : undefined;
  const store = isVaultTarget(plan.target) ? undefined : awsFromEnv(io.env);
  const needsCluster = (!plan.gitopsRoot && plan.externalSecrets.length > 0) || plan.restart;
  const { cluster, problem } = needsCluster ? await clusterFromEnv(io.env, args.kubeContext) : {};
  if (needsCluster && !cluster) throw new Error(problem ?? 'kubernetes: no cluster');
  for (const es of needsCluster && !plan.gitopsRoot ? plan.externalSecrets : []) await cluster!.getExternalSecret(es);
  const issues = plan.github && journal.done('issue') && !journal.done('rollback-issue') ? await issuesFromEnv(io.env, plan) : undefined;
  if (issues) await issues.checkAccess(plan.github!);
  const complete = await rollback({ ...storeDeps(plan, vault, store), journal, log: (line) => io.stdout(`${line}\n`), syncTimeoutMs: args.syncTimeout * 1000, ...(cluster ? { cluster } : {}), ...(issues ? { issues } : {}) }, plan);
  io.stdout(`Rolled back incident ${journal.id}${complete ? '' : ' (the restarts wait for the --gitops commit to be synced: see above)'}; journal: ${journal.file}\n`);
  return 0;
}

/** --purge-expressions FILE: the leaked value (and its encoded form) as filter-repo expressions, written 0600, never printed. */
async function runPurgeExpressions(args: RemediateArgs, io: CliIO): Promise<ExitCode> {
  const { finding, root } = await readFindingInput(args.report!, args.finding!, io.cwd);
  const values = [await recoverLeakedSpan(finding, root), await recoverLeakedValue(finding, root)];
  const file = resolve(io.cwd, args.purgeExpressions!);
  const lines = writePurgeExpressions(file, values);
  io.stderr(`spillway: wrote ${lines} --replace-text expression(s) to ${file} (mode 0600); delete it once git filter-repo has run\n`);
  return 0;
}

async function run(args: RemediateArgs, io: CliIO): Promise<ExitCode> {
  const dir = journalDir(io.env, args.journalDir ? resolve(io.cwd, args.journalDir) : undefined);
  let journal: Journal | undefined;
  try {
    checkArgs(args);
    if (args.rollback) return await runRollback(args, io, dir);
    if (args.purgeExpressions) return await runPurgeExpressions(args, io);
    const explicit = args.vaultPath ? parseVaultPath(args.vaultPath, args.property) : args.awsSecret ? parseAwsSecret(args.awsSecret, args.property, awsRegion(args, io)) : undefined;
    const finding = args.report ? await readFindingInput(args.report, args.finding!, io.cwd) : undefined;
    journal = Journal.open(dir, incidentId(finding ? finding.finding.fingerprint : targetName(explicit!)));
    const connect: VaultConnector = async (namespace) => {
      if (args.apply) return vaultFromEnv(io.env, namespace);
      if (!io.env.VAULT_ADDR) return undefined;
      return vaultFromEnv(io.env, namespace).catch((err: unknown) => {
        io.stderr(`spillway: warning: ${message(err)}; nothing is compared with Vault\n`);
        return undefined;
      });
    };
    const connectAws: AwsConnector = async () => {
      if (args.apply) return awsFromEnv(io.env);
      try {
        return awsFromEnv(io.env);
      } catch (err) {
        io.stderr(`spillway: warning: ${message(err)}; nothing is compared with AWS Secrets Manager\n`);
        return undefined;
      }
    };
    const chosen = await planFor(args, io, journal, explicit, finding, connect, connectAws);
    if (!chosen) return 2;
    if (chosen.kind === 'move') return await runMove(chosen.plan, args, io);
    const { plan, vault } = chosen;
    const store = 'store' in chosen ? chosen.store : undefined;
    const needsCluster = (!plan.gitopsRoot && plan.externalSecrets.length > 0) || plan.restart;
    const { cluster, problem } = needsCluster ? await clusterFromEnv(io.env, args.kubeContext) : {};
    if (cluster && !journal.done('plan')) {
      try {
        plan.consumers.push(...(await apiConsumers(cluster, plan, io)));
      } catch (err) {
        if (args.apply) throw err;
        io.stderr(`spillway: warning: ${message(err)}\n`);
      }
    } else if (problem && !args.apply) {
      io.stderr(`spillway: note: ${problem}; consumers come from the manifests only\n`);
    }
    io.stdout(terminal(renderPlan(plan, journal, io.env), true));
    if (plan.auditLog) {
      const until = journal.done('rotate')?.at ?? new Date().toISOString();
      io.stdout(`\n${renderAuditSummary(await auditSummaryFor(plan, until)).join('\n')}\n`);
    }
    if (!args.apply) {
      io.stdout('\nThis was a plan: nothing was changed. Run again with --apply to do it.\n');
      return 0;
    }
    if (needsCluster && !cluster) throw new Error(problem ?? 'kubernetes: no cluster');
    const vaultForPlan = !isVaultTarget(plan.target) ? undefined : plan.vaultNamespace && plan.vaultNamespace !== vault?.namespace ? await vaultFromEnv(io.env, plan.vaultNamespace) : vault!;
    const storeForPlan = isVaultTarget(plan.target) ? undefined : store ?? awsFromEnv(io.env);
    const issues = await issuesFromEnv(io.env, plan);
    io.stdout('\nApplying:\n');
    const complete = await applyPlan(plan, {
      syncTimeoutMs: args.syncTimeout * 1000,
      env: io.env,
      ...storeDeps(plan, vaultForPlan, storeForPlan),
      journal,
      log: (line) => io.stdout(`  ${line}\n`),
      newValue: newValueSource(plan.newValue, { generator: args.generator, stdin: io.stdin, env: io.env, prompt: (text) => io.stderr(text) }),
      ...(cluster ? { cluster } : {}),
      ...(issues ? { issues } : {}),
    });
    io.stdout(`\n${complete ? 'Done' : 'Done for now: the restarts wait for the --gitops commit to be synced (see above)'}. Journal: ${journal.file}\nUndo the ${storeLabel(plan.target)} change with: spillway remediate --rollback ${plan.incident}\n`);
    return 0;
  } catch (err) {
    io.stderr(`spillway: remediate: ${terminal(message(err))}\n`);
    if (journal?.exists) io.stderr(`spillway: the journal ${journal.file} records what was done; run the same command again to resume.\n`);
    return 2;
  }
}

/** The `remediate` command. */
export const remediateCommand: SpillwayCommand<RemediateArgs> = {
  command: 'remediate',
  describe: 'Rotate a leaked secret in Vault or AWS Secrets Manager, force-sync its ExternalSecrets, restart consumers and open an incident issue',
  builder,
  run,
};
