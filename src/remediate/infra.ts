// Reads an infrastructure repository's manifests: ExternalSecrets, VaultStaticSecrets, Secret stores and workloads.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A SecretStore or ClusterSecretStore with a Vault provider, or an AWS Secrets Manager one (`aws` set, `kvVersion` empty). */
export interface InfraStore {
  kind: 'SecretStore' | 'ClusterSecretStore';
  name: string;
  namespace?: string;
  /** provider.vault.path: the KV mount. */
  mount?: string;
  /** provider.vault.version: `v2` (default) or `v1`. */
  kvVersion: string;
  /** provider.vault.namespace: the Vault namespace ESO sends. */
  vaultNamespace?: string;
  /** provider.aws with service SecretsManager: its region (absent in the manifest: the environment's). */
  aws?: { region?: string };
  file: string;
}

/** One remote reference of an ExternalSecret: `data[]` (one property) or `dataFrom[].extract` (every property). */
export interface InfraRemoteRef {
  key: string;
  property?: string;
  /** The key in the target Kubernetes Secret (data[] only). */
  secretKey?: string;
  extract: boolean;
  /** remoteRef.version / extract.version: the store version ESO reads instead of the latest. */
  version?: string;
}

export interface InfraExternalSecret {
  apiVersion: string;
  name: string;
  namespace: string;
  /** Name of the Kubernetes Secret ESO writes (spec.target.name, default the ExternalSecret's name). */
  targetName: string;
  storeRef: { name: string; kind: 'SecretStore' | 'ClusterSecretStore' };
  refs: InfraRemoteRef[];
  /** Path relative to the infra root, POSIX. */
  file: string;
}

/** A Vault Secrets Operator `VaultStaticSecret` (secrets.hashicorp.com/v1beta1): VSO copies every key at `mount/path` into `destination`. */
export interface InfraVaultStaticSecret {
  name: string;
  namespace: string;
  mount: string;
  /** The path inside the mount (no `data/`). */
  path: string;
  /** `kv-v2` or `kv-v1`. */
  type: string;
  /** The Kubernetes Secret VSO writes (spec.destination.name). */
  destinationName: string;
  /** How often VSO re-reads Vault (spec.refreshAfter, e.g. `30s`); absent: VSO's default. */
  refreshAfter?: string;
  /** Workloads VSO rollout-restarts itself after a sync (spec.rolloutRestartTargets). */
  rolloutRestartTargets: { kind: string; name: string }[];
  vaultAuthRef?: string;
  /** spec.namespace: the Vault namespace. */
  vaultNamespace?: string;
  file: string;
}

/** A workload with a pod template (Deployment, StatefulSet, DaemonSet). */
export interface InfraWorkload {
  kind: string;
  name: string;
  namespace: string;
  podSpec: unknown;
  file: string;
}

export interface Infra {
  root: string;
  stores: InfraStore[];
  externalSecrets: InfraExternalSecret[];
  vaultStaticSecrets: InfraVaultStaticSecret[];
  workloads: InfraWorkload[];
  /** Files that could not be read or parsed, each with the reason. */
  problems: string[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

const SKIP_DIRS = new Set(['.git', 'node_modules', '.spillway']);
const MAX_FILE = 2 * 1024 * 1024;

async function yamlFiles(dir: string, out: string[], problems: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    problems.push(`${dir}: cannot read directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await yamlFiles(path, out, problems);
    else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(path);
  }
}

/** A store with `provider.aws` and service SecretsManager (ESO's default service is SecretsManager too). */
function awsStoreOf(doc: Obj, name: string, file: string): InfraStore | undefined {
  const aws = obj(obj(obj(doc.spec).provider).aws);
  if (Object.keys(aws).length === 0 || (str(aws.service) ?? 'SecretsManager') !== 'SecretsManager') return undefined;
  const store: InfraStore = { kind: doc.kind as InfraStore['kind'], name, kvVersion: '', aws: {}, file };
  const ns = str(obj(doc.metadata).namespace);
  if (ns && doc.kind === 'SecretStore') store.namespace = ns;
  const region = str(aws.region);
  if (region) store.aws = { region };
  return store;
}

function storeOf(doc: Obj, file: string): InfraStore | undefined {
  const vault = obj(obj(obj(doc.spec).provider).vault);
  const meta = obj(doc.metadata);
  const name = str(meta.name);
  if (!name) return undefined;
  if (Object.keys(vault).length === 0) return awsStoreOf(doc, name, file);
  const store: InfraStore = { kind: doc.kind as InfraStore['kind'], name, kvVersion: str(vault.version) ?? 'v2', file };
  const ns = str(meta.namespace);
  if (ns && doc.kind === 'SecretStore') store.namespace = ns;
  const mount = str(vault.path);
  if (mount) store.mount = mount.replace(/^\/+|\/+$/g, '');
  const vaultNs = str(vault.namespace);
  if (vaultNs) store.vaultNamespace = vaultNs;
  return store;
}

function externalSecretOf(doc: Obj, file: string, defaultNs: string): InfraExternalSecret | undefined {
  const meta = obj(doc.metadata);
  const spec = obj(doc.spec);
  const name = str(meta.name);
  if (!name) return undefined;
  const refs: InfraRemoteRef[] = [];
  for (const d of list(spec.data)) {
    const remote = obj(d.remoteRef);
    const key = str(remote.key);
    if (!key) continue;
    const ref: InfraRemoteRef = { key, extract: false };
    const property = str(remote.property);
    const secretKey = str(d.secretKey);
    const version = str(remote.version);
    if (property) ref.property = property;
    if (secretKey) ref.secretKey = secretKey;
    if (version) ref.version = version;
    refs.push(ref);
  }
  for (const d of list(spec.dataFrom)) {
    const extract = obj(d.extract);
    const key = str(extract.key);
    const version = str(extract.version);
    if (key) refs.push({ key, extract: true, ...(version ? { version } : {}) });
  }
  const storeRef = obj(spec.secretStoreRef);
  return {
    apiVersion: str(doc.apiVersion) ?? 'external-secrets.io/v1beta1',
    name,
    namespace: str(meta.namespace) ?? defaultNs,
    targetName: str(obj(spec.target).name) ?? name,
    storeRef: { name: str(storeRef.name) ?? '', kind: storeRef.kind === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore' },
    refs,
    file,
  };
}

function vaultStaticSecretOf(doc: Obj, file: string, defaultNs: string): InfraVaultStaticSecret | undefined {
  const meta = obj(doc.metadata);
  const spec = obj(doc.spec);
  const name = str(meta.name);
  const mount = str(spec.mount)?.replace(/^\/+|\/+$/g, '');
  const path = str(spec.path)?.replace(/^\/+|\/+$/g, '');
  const destinationName = str(obj(spec.destination).name);
  if (!name || !mount || !path || !destinationName) return undefined;
  const vss: InfraVaultStaticSecret = {
    name,
    namespace: str(meta.namespace) ?? defaultNs,
    mount,
    path: path.startsWith('data/') ? path.slice(5) : path,
    type: str(spec.type) ?? 'kv-v2',
    destinationName,
    rolloutRestartTargets: list(spec.rolloutRestartTargets).flatMap((t) => {
      const kind = str(t.kind);
      const target = str(t.name);
      return kind && target ? [{ kind, name: target }] : [];
    }),
    file,
  };
  const refreshAfter = str(spec.refreshAfter);
  if (refreshAfter) vss.refreshAfter = refreshAfter;
  const auth = str(spec.vaultAuthRef);
  if (auth) vss.vaultAuthRef = auth;
  const vaultNs = str(spec.namespace);
  if (vaultNs) vss.vaultNamespace = vaultNs;
  return vss;
}

async function kustomizeNamespace(dir: string, cache: Map<string, string | undefined>): Promise<string | undefined> {
  if (cache.has(dir)) return cache.get(dir);
  let ns: string | undefined;
  for (const name of ['kustomization.yaml', 'kustomization.yml']) {
    try {
      const doc = parseAllDocuments(await readFile(join(dir, name), 'utf8'))[0];
      ns = str(obj(doc?.toJS()).namespace);
      break;
    } catch {
      continue;
    }
  }
  cache.set(dir, ns);
  return ns;
}

/** Reads every YAML manifest under `root`; a file that cannot be read or parsed is named in `problems`, the rest go on. */
export async function loadInfra(root: string): Promise<Infra> {
  const infra: Infra = { root, stores: [], externalSecrets: [], vaultStaticSecrets: [], workloads: [], problems: [] };
  const files: string[] = [];
  await yamlFiles(root, files, infra.problems);
  const nsCache = new Map<string, string | undefined>();
  for (const path of files) {
    const file = relative(root, path).split(sep).join('/');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      infra.problems.push(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    if (text.length > MAX_FILE) {
      infra.problems.push(`${file}: skipped, larger than 2 MiB`);
      continue;
    }
    const defaultNs = (await kustomizeNamespace(dirname(path), nsCache)) ?? 'default';
    for (const [i, doc] of parseAllDocuments(text).entries()) {
      if (doc.errors.length > 0) {
        infra.problems.push(`${file}: document ${i + 1} is not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
        continue;
      }
      const js = obj(doc.toJS());
      const apiVersion = str(js.apiVersion) ?? '';
      if (apiVersion.startsWith('external-secrets.io/')) {
        if (js.kind === 'ExternalSecret') {
          const es = externalSecretOf(js, file, defaultNs);
          if (es) infra.externalSecrets.push(es);
        } else if (js.kind === 'SecretStore' || js.kind === 'ClusterSecretStore') {
          const store = storeOf(js, file);
          if (store) infra.stores.push(store);
        }
      } else if (apiVersion.startsWith('secrets.hashicorp.com/') && js.kind === 'VaultStaticSecret') {
        const vss = vaultStaticSecretOf(js, file, defaultNs);
        if (vss) infra.vaultStaticSecrets.push(vss);
      } else if (apiVersion === 'apps/v1' && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(String(js.kind))) {
        const meta = obj(js.metadata);
        const name = str(meta.name);
        if (name) {
          const podSpec = obj(obj(obj(js.spec).template).spec);
          infra.workloads.push({ kind: String(js.kind), name, namespace: str(meta.namespace) ?? defaultNs, podSpec, file });
        }
      }
    }
  }
  return infra;
}
