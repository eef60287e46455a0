// Finds where a leaked value lives: ExternalSecrets in the infra repo name candidates, Vault confirms them in memory.
import type { Secret } from '../secret.js';
import { AdapterError } from './errors.js';
import type { Infra, InfraExternalSecret, InfraRemoteRef, InfraStore, InfraVaultStaticSecret } from './infra.js';
import { podSpecConsumes, type Consumer } from './k8s/consumers.js';
import type { SecretStore } from './stores/store.js';
import { VaultKv2Store } from './stores/vault-kv2.js';
import { isVaultTarget, type StoreTarget } from './target.js';
import type { KvStore } from './vault/client.js';

/** A place the leaked value may live, with the ExternalSecrets that read it and why it was picked. */
export interface Candidate {
  /** The Vault mount (empty for an AWS Secrets Manager candidate). */
  mount: string;
  /** The path inside the mount, or the AWS secret id. */
  path: string;
  /** Set for an AWS Secrets Manager secret (`path` is its id; a property `SecretString` is the whole string). */
  aws?: { region: string; secretId: string };
  /** Absent for a `dataFrom.extract` reference until the property is known. */
  property?: string;
  /** Names tied to this place that matched the finding's identifier. */
  matchedNames: string[];
  externalSecrets: string[];
  /** VaultStaticSecrets (`namespace/name`) that copy this path; absent when none. */
  vaultStaticSecrets?: string[];
  vaultNamespace?: string;
  /** Set once Vault was asked: the current value equals the leaked one. */
  confirmed?: boolean;
  /** Why Vault could not confirm it (missing path, permission...). */
  problem?: string;
}

export type LocateResult =
  | { kind: 'found'; target: StoreTarget; confirmed: boolean; vaultNamespace?: string; candidates: Candidate[] }
  | { kind: 'ambiguous'; candidates: Candidate[]; reason: string }
  | { kind: 'none'; reason: string };

/** Canonical form for comparing names: `api-key`, `API_KEY` and `apiKey` all become `APIKEY`. */
export function normalizeName(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}

/** The store an ExternalSecret uses: a SecretStore in its namespace, or a ClusterSecretStore. */
export function storeFor(infra: Infra, es: InfraExternalSecret): InfraStore | undefined {
  return infra.stores.find(
    (s) => s.kind === es.storeRef.kind && s.name === es.storeRef.name && (s.kind === 'ClusterSecretStore' || s.namespace === undefined || s.namespace === es.namespace),
  );
}

/** The Vault path a remote key points at, relative to the mount (ESO accepts the key with or without the mount). */
export function pathInMount(key: string, mount: string | undefined): string {
  let path = key.replace(/^\/+/, '');
  if (mount && path.startsWith(`${mount}/`)) path = path.slice(mount.length + 1);
  if (path.startsWith('data/')) path = path.slice(5);
  return path;
}

/** Env names fed by `secretKey` of the Kubernetes Secret `targetName` (env valueFrom and envFrom). */
function envNamesFor(infra: Infra, es: InfraExternalSecret, secretKey: string | undefined): string[] {
  const names: string[] = [];
  for (const w of infra.workloads.filter((x) => x.namespace === es.namespace)) {
    const spec = w.podSpec as { containers?: { env?: { name?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }[] }[] };
    for (const c of spec.containers ?? []) {
      for (const env of c.env ?? []) {
        const ref = env.valueFrom?.secretKeyRef;
        if (ref?.name === es.targetName && (secretKey === undefined || ref.key === secretKey) && env.name) names.push(env.name);
      }
    }
  }
  return names;
}

function refNames(infra: Infra, es: InfraExternalSecret, ref: InfraRemoteRef): string[] {
  const names = [ref.property, ref.secretKey, ...envNamesFor(infra, es, ref.extract ? undefined : ref.secretKey)];
  return names.filter((n): n is string => typeof n === 'string');
}

type Obj = Record<string, unknown>;
const objOf = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const listOf = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(objOf) : []);

/**
 * Names tied to the keys of a VSO destination Secret, each with the Vault property it stands for: the key itself
 * (env secretKeyRef, secret and projected volume items) and the env var it feeds.
 */
export function vaultStaticSecretNames(infra: Infra, vss: InfraVaultStaticSecret): { name: string; property: string }[] {
  const out: { name: string; property: string }[] = [];
  const add = (name: unknown, property: unknown): void => {
    if (typeof name === 'string' && typeof property === 'string' && !out.some((o) => o.name === name && o.property === property)) out.push({ name, property });
  };
  for (const w of infra.workloads.filter((x) => x.namespace === vss.namespace)) {
    const spec = objOf(w.podSpec);
    for (const c of [...listOf(spec.containers), ...listOf(spec.initContainers)]) {
      for (const env of listOf(c.env)) {
        const ref = objOf(objOf(env.valueFrom).secretKeyRef);
        if (ref.name === vss.destinationName) {
          add(ref.key, ref.key);
          add(env.name, ref.key);
        }
      }
    }
    for (const v of listOf(spec.volumes)) {
      const sources = [objOf(v.secret), ...listOf(objOf(v.projected).sources).map((s) => objOf(s.secret))];
      for (const src of sources) {
        if (src.secretName !== vss.destinationName && src.name !== vss.destinationName) continue;
        for (const item of listOf(src.items)) add(item.key, item.key);
      }
    }
  }
  return out;
}

function addVaultStaticSecrets(infra: Infra, wanted: string | undefined, byKey: Map<string, Candidate>): void {
  for (const vss of infra.vaultStaticSecrets) {
    if (vss.type !== 'kv-v2') continue;
    const matched = wanted ? vaultStaticSecretNames(infra, vss).filter((n) => normalizeName(n.name) === wanted) : [];
    const property = matched[0]?.property;
    const key = `${vss.mount}/${vss.path}#${property ?? '*'}`;
    const c = byKey.get(key) ?? { mount: vss.mount, path: vss.path, matchedNames: [], externalSecrets: [] };
    if (property) c.property = property;
    if (vss.vaultNamespace) c.vaultNamespace = vss.vaultNamespace;
    for (const m of matched) if (!c.matchedNames.includes(m.name)) c.matchedNames.push(m.name);
    const name = `${vss.namespace}/${vss.name}`;
    c.vaultStaticSecrets = [...(c.vaultStaticSecrets ?? []).filter((n) => n !== name), name];
    byKey.set(key, c);
  }
}

/** The store target a candidate with a known property stands for. */
export function candidateTarget(c: Candidate & { property: string }): StoreTarget {
  if (!c.aws) return { mount: c.mount, path: c.path, property: c.property };
  return { kind: 'aws-sm', region: c.aws.region, secretId: c.aws.secretId, ...(c.property === 'SecretString' ? {} : { property: c.property }) };
}

/** `mount/path#property` or `aws-sm:region/id#property`, as the candidate list shows it. */
export function candidateName(c: Candidate): string {
  const where = c.aws ? `aws-sm:${c.aws.region}/${c.aws.secretId}` : `${c.mount}/${c.path}`;
  return `${where}${c.property ? `#${c.property}` : ''}`;
}

/**
 * Every Vault or AWS Secrets Manager place the infra repo's ExternalSecrets and VaultStaticSecrets read, scored against
 * the finding's identifier. `awsRegion` is the region of an AWS store that names none (the environment's).
 */
export function candidatesFromInfra(infra: Infra, identifier: string | undefined, awsRegion?: string): Candidate[] {
  const byKey = new Map<string, Candidate>();
  const wanted = identifier ? normalizeName(identifier) : undefined;
  for (const es of infra.externalSecrets) {
    const store = storeFor(infra, es);
    const region = store?.aws ? store.aws.region ?? awsRegion : undefined;
    if (store?.aws ? !region : !store?.mount || store.kvVersion !== 'v2') continue;
    const mount = store!.mount ?? '';
    for (const ref of es.refs) {
      const path = region ? ref.key : pathInMount(ref.key, mount);
      const names = refNames(infra, es, ref);
      const matched = wanted ? names.filter((n) => normalizeName(n) === wanted) : [];
      let property = ref.property ?? (region && !ref.extract ? 'SecretString' : undefined);
      if (ref.extract && wanted && matched.length > 0) property = matched[0];
      const key = `${region ? `aws-sm:${region}/` : `${mount}/`}${path}#${property ?? '*'}`;
      const c: Candidate = byKey.get(key) ?? { mount, path, matchedNames: [], externalSecrets: [], ...(region ? { aws: { region, secretId: path } } : {}) };
      if (property) c.property = property;
      if (store!.vaultNamespace) c.vaultNamespace = store!.vaultNamespace;
      for (const m of matched) if (!c.matchedNames.includes(m)) c.matchedNames.push(m);
      const esName = `${es.namespace}/${es.name}`;
      if (!c.externalSecrets.includes(esName)) c.externalSecrets.push(esName);
      byKey.set(key, c);
    }
  }
  addVaultStaticSecrets(infra, wanted, byKey);
  const all = [...byKey.values()];
  const named = all.filter((c) => c.matchedNames.length > 0);
  return named.length > 0 ? named : all;
}

/** The store that can read a candidate, if it is configured. */
function readerOf(c: Candidate, vault: KvStore | undefined, aws: SecretStore | undefined): SecretStore | undefined {
  return c.aws ? aws : vault && new VaultKv2Store(vault);
}

/**
 * Asks the store (Vault, or Secrets Manager for an AWS candidate) for each candidate's current value and compares it with
 * the leaked value in memory (nothing printed). A candidate whose store is not configured is left unconfirmed.
 */
export async function confirmCandidates(candidates: Candidate[], leaked: Secret, vault: KvStore | undefined, aws?: SecretStore): Promise<void> {
  for (const c of candidates) {
    const reader = readerOf(c, vault, aws);
    if (!reader) continue;
    try {
      const current = await reader.read(c.aws ? { kind: 'aws-sm', region: c.aws.region, secretId: c.aws.secretId } : { mount: c.mount, path: c.path, property: c.property ?? '' });
      if (c.property !== undefined) {
        c.confirmed = current.values.get(c.property)?.equals(leaked) === true;
      } else {
        const hit = [...current.values.entries()].find(([, v]) => v.equals(leaked));
        c.confirmed = hit !== undefined;
        if (hit) c.property = hit[0];
      }
    } catch (err) {
      if (!(err instanceof AdapterError)) throw err;
      c.confirmed = false;
      c.problem = err.message;
    }
  }
}

function found(c: Candidate, confirmed: boolean, candidates: Candidate[]): LocateResult {
  const out: LocateResult = { kind: 'found', target: candidateTarget(c as Candidate & { property: string }), confirmed, candidates };
  if (c.vaultNamespace) out.vaultNamespace = c.vaultNamespace;
  return out;
}

/**
 * Picks the target among candidates: the one Vault confirms (when `vault` and `leaked` are given), else the
 * single name-matched one with a known property. Several or none: say so, so the user gives --vault-path.
 */
export async function locateTarget(candidates: Candidate[], leaked: Secret | undefined, vault: KvStore | undefined, aws?: SecretStore): Promise<LocateResult> {
  if (candidates.length === 0) return { kind: 'none', reason: 'no ExternalSecret or VaultStaticSecret in --infra reads from a Vault KV v2 or AWS Secrets Manager store this tool can resolve' };
  if (leaked && candidates.some((c) => readerOf(c, vault, aws))) {
    await confirmCandidates(candidates, leaked, vault, aws);
    const confirmed = candidates.filter((c) => c.confirmed);
    if (confirmed.length === 1) return found(confirmed[0]!, true, candidates);
    if (confirmed.length > 1) return { kind: 'ambiguous', candidates: confirmed, reason: `the leaked value is the current value at several ${confirmed.some((c) => c.aws) ? 'places' : 'Vault paths'}` };
    return { kind: 'ambiguous', candidates, reason: 'the leaked value is not the current value at any candidate path (already rotated, or stored elsewhere)' };
  }
  const known = candidates.filter((c) => c.property !== undefined && c.matchedNames.length > 0);
  if (known.length === 1) return found(known[0]!, false, candidates);
  return { kind: 'ambiguous', candidates, reason: vault ? 'the leaked value could not be recovered to compare' : 'Vault is not configured (VAULT_ADDR), so candidates cannot be confirmed' };
}

/** The ExternalSecrets that read `target` (its property, or the whole path through dataFrom.extract). */
export function externalSecretsFor(infra: Infra, target: StoreTarget, awsRegion?: string): InfraExternalSecret[] {
  return infra.externalSecrets.filter((es) => refsReading(infra, es, target, awsRegion).length > 0);
}

/** The remote references of `es` that read `target`. */
function refsReading(infra: Infra, es: InfraExternalSecret, target: StoreTarget, awsRegion?: string): InfraRemoteRef[] {
  const store = storeFor(infra, es);
  if (!isVaultTarget(target)) {
    if (!store?.aws || (store.aws.region ?? awsRegion) !== target.region) return [];
    return es.refs.filter((r) => r.key === target.secretId && (r.extract || r.property === target.property));
  }
  if (store?.aws) return [];
  const mount = store?.mount;
  if (mount !== undefined && mount !== target.mount) return [];
  return es.refs.filter((r) => pathInMount(r.key, mount ?? target.mount) === target.path && (r.extract || r.property === target.property));
}

/**
 * The version `es` pins for `target` (remoteRef.version), if any: ESO then keeps reading that version and never
 * sees a rotation. For AWS, `AWSCURRENT` (ESO's default stage) is no pin.
 */
export function pinnedVersion(infra: Infra, es: InfraExternalSecret, target: StoreTarget, awsRegion?: string): string | undefined {
  const versions = refsReading(infra, es, target, awsRegion).map((r) => r.version);
  return versions.find((v) => v !== undefined && (isVaultTarget(target) || v !== 'AWSCURRENT'));
}

/** Workloads in the infra repo that read the Kubernetes Secrets these ExternalSecrets write. */
export function consumersFromInfra(infra: Infra, externalSecrets: InfraExternalSecret[]): Consumer[] {
  const out: Consumer[] = [];
  for (const es of externalSecrets) {
    for (const w of infra.workloads.filter((x) => x.namespace === es.namespace)) {
      const { modes, envNames } = podSpecConsumes(w.podSpec, es.targetName);
      if (modes.length > 0 && !out.some((c) => c.kind === w.kind && c.namespace === w.namespace && c.name === w.name)) {
        out.push({ kind: w.kind, namespace: w.namespace, name: w.name, modes, envNames, file: w.file });
      }
    }
  }
  return out;
}

/** The VaultStaticSecrets that copy `target`'s path (VSO syncs every key of it). */
export function vaultStaticSecretsFor(infra: Infra, target: StoreTarget): InfraVaultStaticSecret[] {
  if (!isVaultTarget(target)) return [];
  return infra.vaultStaticSecrets.filter((v) => v.type === 'kv-v2' && v.mount === target.mount && v.path === target.path);
}

/**
 * Workloads that read the destination Secrets of these VaultStaticSecrets. Those VSO restarts itself
 * (rolloutRestartTargets) are marked `vso: 'restarts'`; the others `vso: 'manual'` (a restart is offered).
 */
export function vsoConsumersFromInfra(infra: Infra, vaultStaticSecrets: InfraVaultStaticSecret[]): Consumer[] {
  const out: Consumer[] = [];
  for (const vss of vaultStaticSecrets) {
    for (const w of infra.workloads.filter((x) => x.namespace === vss.namespace)) {
      const { modes, envNames } = podSpecConsumes(w.podSpec, vss.destinationName);
      if (modes.length === 0 || out.some((c) => c.kind === w.kind && c.namespace === w.namespace && c.name === w.name)) continue;
      const byVso = vss.rolloutRestartTargets.some((t) => t.kind === w.kind && t.name === w.name);
      out.push({ kind: w.kind, namespace: w.namespace, name: w.name, modes, envNames, file: w.file, vso: byVso ? 'restarts' : 'manual' });
    }
  }
  return out;
}
