// Builds a fresh remediation plan: recover the leaked value, locate it in Vault, gather ExternalSecrets and consumers.
import { basename } from 'node:path';
import type { Secret } from '../secret.js';
import type { FindingInput } from './finding-input.js';
import type { RepoRef } from './github/repo-ref.js';
import { loadInfra, type Infra } from './infra.js';
import { issuerOf, type Issuer } from './issuer.js';
import { firstCommitOf } from './leak-origin.js';
import { recoverLeakedValue } from './leak-value.js';
import { candidatesFromInfra, confirmCandidates, consumersFromInfra, externalSecretsFor, locateTarget, pinnedVersion, storeFor, vaultStaticSecretsFor, vsoConsumersFromInfra, type Candidate } from './locate.js';
import { buildMovePlan, type MoveOptions, type MovePlan } from './move-plan.js';
import { incidentFinding, type IncidentFinding, type RemediationPlan } from './plan.js';
import { revocationFor } from './revoke/providers.js';
import type { SecretStore } from './stores/store.js';
import { VaultKv2Store } from './stores/vault-kv2.js';
import { isVaultTarget, storeLabel, targetName, targetProperty, type StoreTarget } from './target.js';
import type { KvStore } from './vault/client.js';

/** Connects to Vault in a namespace; undefined when Vault is not configured (plans work without it). */
export type VaultConnector = (namespace: string | undefined) => Promise<KvStore | undefined>;

/** Connects to AWS Secrets Manager; undefined when AWS is not configured or not needed (plans work without it). */
export type AwsConnector = () => Promise<SecretStore | undefined>;

export interface PlanRequest {
  incident: string;
  finding?: FindingInput;
  /** --vault-path/--property or --aws-secret: the target, skipping the search. */
  explicit?: StoreTarget;
  /** The region of AWS stores that name none (AWS_REGION / AWS_DEFAULT_REGION / the profile's). */
  awsRegion?: string;
  /** --infra, absolute. */
  infraDir?: string;
  /** VAULT_NAMESPACE, which wins over the SecretStores' namespace. */
  vaultNamespace?: string;
  gitops: boolean;
  restart: boolean;
  github?: RepoRef;
  allowPublicIssue?: boolean;
  newValue: RemediationPlan['newValue'];
  /** --issued-by: who issues the secret, when the name and rule cannot tell. */
  issuedBy?: Issuer['by'];
  /** --revoke, --audit-log (absolute), --destroy-leaked-version. */
  revoke?: boolean;
  auditLog?: string;
  destroyLeakedVersion?: boolean;
  /** For --apply: a target matched by name only (not compared with Vault) is refused. */
  requireConfirmed: boolean;
  /** --team/--app/--mount/--secret/--property for a value that is not in Vault yet. */
  move?: MoveOptions;
  /** Prints one warning line (never a value). */
  warn: (line: string) => void;
}

export type BuildResult =
  | { kind: 'plan'; plan: RemediationPlan; vault: KvStore | undefined; store?: SecretStore }
  | { kind: 'move'; plan: MovePlan }
  | { kind: 'ambiguous'; reason: string; candidates: Candidate[] };

/** The Vault namespace of the infra repo's stores, when they all agree on one. */
function storesNamespace(infra: Infra | undefined): string | undefined {
  const namespaces = [...new Set((infra?.stores ?? []).map((s) => s.vaultNamespace).filter((n): n is string => Boolean(n)))];
  return namespaces.length === 1 ? namespaces[0] : undefined;
}

async function leakedValueOf(input: FindingInput | undefined, warn: (line: string) => void): Promise<Secret | undefined> {
  if (!input) return undefined;
  try {
    return await recoverLeakedValue(input.finding, input.root);
  } catch (err) {
    warn(`${(err as Error).message}; the value cannot be compared with Vault`);
    return undefined;
  }
}

/** The finding as plans and issues show it: redacted value, and since when the file is in history. */
async function findingView(input: FindingInput, leaked: Secret | undefined): Promise<IncidentFinding> {
  const f = input.finding;
  const view = incidentFinding(f, leaked?.redacted() ?? `…(${f.secretLength} chars)`, basename(input.reportFile));
  const since = f.provenance.kind === 'git' ? undefined : await firstCommitOf(input.root, f.path);
  if (since) view.since = since;
  return view;
}

/** Locates the target (or checks the explicit one) and assembles the plan. Throws an Error for input that cannot work. */
export async function buildPlan(req: PlanRequest, connect: VaultConnector, connectAws: AwsConnector = async () => undefined): Promise<BuildResult> {
  let infra: Infra | undefined;
  if (req.infraDir) {
    infra = await loadInfra(req.infraDir);
    for (const p of infra.problems) req.warn(`--infra ${p}`);
  }
  const wantsAws = req.explicit ? !isVaultTarget(req.explicit) : (infra?.stores ?? []).some((s) => s.aws);
  const onlyAws = infra !== undefined && infra.stores.length > 0 && infra.stores.every((s) => s.aws) && infra.vaultStaticSecrets.length === 0;
  const wantsVault = req.explicit ? isVaultTarget(req.explicit) : !onlyAws;
  const vault = wantsVault ? await connect(req.vaultNamespace || storesNamespace(infra)) : undefined;
  const aws = wantsAws ? await connectAws() : undefined;
  const leaked = await leakedValueOf(req.finding, req.warn);
  let target = req.explicit;
  let confirmed = false;
  let vaultNamespace: string | undefined;
  if (target) {
    if ((isVaultTarget(target) ? vault : aws) && leaked) {
      const c: Candidate = isVaultTarget(target)
        ? { ...target, matchedNames: [], externalSecrets: [] }
        : { mount: '', path: target.secretId, aws: { region: target.region, secretId: target.secretId }, property: targetProperty(target), matchedNames: [], externalSecrets: [] };
      await confirmCandidates([c], leaked, vault, aws);
      confirmed = c.confirmed === true;
      if (!confirmed) req.warn(`the current value at ${targetName(target)} is not the leaked value${c.problem ? ` (${c.problem})` : ''}`);
    }
  } else {
    if (!infra) throw new Error('--infra: needed to find where the leaked value lives (or give --vault-path and --property)');
    const candidates = candidatesFromInfra(infra, req.finding?.finding.identifier, req.awsRegion);
    const result = await locateTarget(candidates, leaked, vault, aws);
    const referenced = candidates.some((c) => c.matchedNames.length > 0 || c.confirmed);
    if (req.finding && !referenced && result.kind !== 'found') {
      const f = req.finding.finding;
      const finding = await findingView(req.finding, leaked);
      const name = f.identifier ? ` references ${f.identifier}` : ' names the leaked key';
      const compared = vault && leaked && candidates.length > 0 ? `, and Vault holds the leaked value at none of the ${candidates.length} path(s) they read` : '';
      const reason = `no ExternalSecret or VaultStaticSecret in --infra${name}${compared}`;
      const move = buildMovePlan(infra, { incident: req.incident, finding, ...(f.identifier ? { identifier: f.identifier } : {}), scanRoot: req.finding.root, reason, gitops: req.gitops, options: req.move ?? {} });
      return { kind: 'move', plan: move };
    }
    if (result.kind === 'none') throw new Error(`--infra ${infra.root}: ${result.reason}; give --vault-path and --property`);
    if (result.kind === 'ambiguous') return result;
    target = result.target;
    confirmed = result.confirmed;
    if (!confirmed && req.requireConfirmed) {
      throw new Error(`${targetName(target)} matches the finding by name only (the value was not compared with ${storeLabel(target)}): give ${isVaultTarget(target) ? '--vault-path and --property' : '--aws-secret (and --property)'} to rotate it anyway`);
    }
    vaultNamespace = result.vaultNamespace;
  }
  const externalSecrets = infra ? externalSecretsFor(infra, target, req.awsRegion) : [];
  const vss = infra ? vaultStaticSecretsFor(infra, target) : [];
  if (!vaultNamespace && infra) vaultNamespace = externalSecrets.map((es) => storeFor(infra, es)?.vaultNamespace).find(Boolean) ?? vss.map((v) => v.vaultNamespace).find(Boolean);
  const consumers = infra ? consumersFromInfra(infra, externalSecrets) : [];
  for (const c of infra ? vsoConsumersFromInfra(infra, vss) : []) {
    const same = consumers.find((o) => o.kind === c.kind && o.namespace === c.namespace && o.name === c.name);
    if (same) same.vso = c.vso;
    else consumers.push(c);
  }
  const plan: RemediationPlan = {
    incident: req.incident,
    target,
    confirmed,
    externalSecrets: externalSecrets.map((es) => {
      const pinned = pinnedVersion(infra!, es, target, req.awsRegion);
      return { namespace: es.namespace, name: es.name, apiVersion: es.apiVersion, targetName: es.targetName, file: es.file, ...(pinned !== undefined ? { pinnedVersion: pinned } : {}) };
    }),
    consumers,
    restart: req.restart,
    newValue: req.newValue,
  };
  if (vss.length > 0) {
    plan.vaultStaticSecrets = vss.map((v) => ({
      namespace: v.namespace,
      name: v.name,
      destinationName: v.destinationName,
      rolloutRestartTargets: v.rolloutRestartTargets,
      file: v.file,
      ...(v.refreshAfter ? { refreshAfter: v.refreshAfter } : {}),
    }));
  }
  const store = isVaultTarget(target) ? vault && new VaultKv2Store(vault) : aws;
  const property = targetProperty(target);
  const value = leaked ?? (store ? await store.read(target).then((s) => s.values.get(property), () => undefined) : undefined);
  const f = req.finding?.finding;
  plan.issuer = issuerOf({ property, ...(f?.identifier ? { identifier: f.identifier } : {}), ...(f ? { ruleId: f.ruleId } : {}), ...(value ? { value } : {}), ...(req.issuedBy ? { override: req.issuedBy } : {}) });
  const revocation = revocationFor(value);
  if (revocation) plan.revocation = revocation;
  if (req.revoke) plan.revoke = true;
  if (req.auditLog && !isVaultTarget(plan.target)) throw new Error(`--audit-log (a Vault file audit device log): only for a Vault KV v2 target; ${targetName(plan.target)} is in ${storeLabel(plan.target)}: read its GetSecretValue calls in CloudTrail`);
  if (req.auditLog) plan.auditLog = req.auditLog;
  if (req.destroyLeakedVersion) plan.destroyLeakedVersion = true;
  const ns = req.vaultNamespace || vaultNamespace;
  if (ns) plan.vaultNamespace = ns;
  if (req.finding) plan.finding = await findingView(req.finding, leaked);
  if (req.gitops) {
    if (!infra) throw new Error('--gitops: needs --infra (the repository whose manifests to edit)');
    plan.gitopsRoot = infra.root;
  }
  if (req.github) plan.github = req.github;
  if (req.allowPublicIssue) plan.allowPublicIssue = true;
  return { kind: 'plan', plan, vault, ...(aws ? { store: aws } : {}) };
}
