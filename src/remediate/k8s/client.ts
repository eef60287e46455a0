// Kubernetes calls remediation makes: read and annotate ExternalSecrets, find and restart Deployments.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { Conflict, NotFound, scrubCredential } from '../errors.js';
import { podSpecConsumes, type Consumer } from './consumers.js';
import { kubeError } from './errors.js';
import { makeGuardedClient } from './http-library.js';

/** An ExternalSecret in the cluster, by namespace and name; `apiVersion` as in its manifest. */
export interface ExternalSecretRef {
  namespace: string;
  name: string;
  apiVersion?: string;
}

/** What ESO reports on an ExternalSecret: when it last synced and its Ready condition. */
export interface ExternalSecretStatus {
  refreshTime?: string;
  syncedResourceVersion?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

/** What remediation needs from a cluster. */
export interface ClusterApi {
  /** The kubeconfig context in use (for plans and journals). */
  readonly context: string;
  getExternalSecret(ref: ExternalSecretRef): Promise<{ resourceVersion: string; annotations: Record<string, string>; status?: ExternalSecretStatus }>;
  /** The resourceVersion of Secret `namespace/name` (its metadata only is read), undefined when it does not exist. */
  secretResourceVersion(namespace: string, name: string): Promise<string | undefined>;
  /** Merge-patches `metadata.annotations` with the resourceVersion read, retrying on 409. Returns the new resourceVersion. */
  annotateExternalSecret(ref: ExternalSecretRef, annotations: Record<string, string>): Promise<string>;
  /** Deployments of `namespace` that read the Secret `secretName`. */
  findConsumers(namespace: string, secretName: string): Promise<Consumer[]>;
  /** `kubectl rollout restart`: sets the pod template's `kubectl.kubernetes.io/restartedAt` annotation to `at`. */
  restartDeployment(namespace: string, name: string, at: string): Promise<void>;
  /** The pod template's `kubectl.kubernetes.io/restartedAt` annotation, if set (to tell whether a restart landed). */
  restartedAt(namespace: string, name: string): Promise<string | undefined>;
}

const GROUP = 'external-secrets.io';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** The part of an ExternalSecret object this client reads. */
type EsObject = { metadata?: { resourceVersion?: string; annotations?: Record<string, string> }; status?: ExternalSecretStatus };

/** Asks the API server for a Secret's metadata only (PartialObjectMetadata): its data never reaches this process. */
const METADATA_ONLY = setHeaderOptions('Accept', 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');

/** Loads kubeconfig as kubectl does: KUBECONFIG (a list of files, merged), else ~/.kube/config, else in-cluster. */
export function loadKubeConfig(env: Record<string, string | undefined>, context?: string): KubeConfig {
  const kc = new KubeConfig();
  const files = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f.length > 0);
  const home = env.HOME ? join(env.HOME, '.kube', 'config') : undefined;
  if (files.length > 0) {
    for (const [i, file] of files.entries()) {
      if (!existsSync(file)) continue;
      if (i === 0 || kc.getContexts().length === 0) kc.loadFromFile(file);
      else {
        const more = new KubeConfig();
        more.loadFromFile(file);
        kc.mergeConfig(more, true);
      }
    }
    if (kc.getContexts().length === 0) throw new Error(`kubernetes: KUBECONFIG names no readable file (${files.join(delimiter)})`);
  } else if (home && existsSync(home)) {
    kc.loadFromFile(home);
  } else if (env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromCluster();
  } else {
    throw new Error('kubernetes: no kubeconfig: set KUBECONFIG or create ~/.kube/config');
  }
  if (context) {
    if (!kc.getContextObject(context)) throw new Error(`kubernetes: no context "${context}" in the kubeconfig`);
    kc.setCurrentContext(context);
  }
  const user = kc.getCurrentUser();
  for (const c of [user?.token, user?.password]) scrubCredential(c);
  return kc;
}

function versionOf(apiVersion: string | undefined): string {
  return apiVersion?.startsWith(`${GROUP}/`) ? apiVersion.slice(GROUP.length + 1) : 'v1beta1';
}

/** A ClusterApi over @kubernetes/client-node. Tests build the KubeConfig for a local server. */
export class KubeCluster implements ClusterApi {
  readonly context: string;
  readonly #custom: CustomObjectsApi;
  readonly #apps: AppsV1Api;
  readonly #core: CoreV1Api;

  /** `env` may hold SPILLWAY_HTTP_TIMEOUT / SPILLWAY_ALLOW_HTTP (process.env by default). */
  constructor(kc: KubeConfig, env?: Record<string, string | undefined>) {
    this.context = kc.getCurrentContext();
    this.#custom = makeGuardedClient(kc, CustomObjectsApi, env);
    this.#apps = makeGuardedClient(kc, AppsV1Api, env);
    this.#core = makeGuardedClient(kc, CoreV1Api, env);
  }

  async getExternalSecret(ref: ExternalSecretRef): Promise<{ resourceVersion: string; annotations: Record<string, string>; status?: ExternalSecretStatus }> {
    const { object } = await this.#readExternalSecret(ref);
    return { resourceVersion: object.metadata?.resourceVersion ?? '', annotations: object.metadata?.annotations ?? {}, ...(object.status ? { status: object.status } : {}) };
  }

  async secretResourceVersion(namespace: string, name: string): Promise<string | undefined> {
    try {
      const secret = await this.#core.readNamespacedSecret({ namespace, name }, METADATA_ONLY);
      return secret.metadata?.resourceVersion;
    } catch (err) {
      const typed = kubeError(`get secret ${namespace}/${name} (metadata)`, err);
      if (typed instanceof NotFound) return undefined;
      throw typed;
    }
  }

  /** Reads with the manifest's API version, then the other one: ESO serves v1 and v1beta1 depending on its release. */
  async #readExternalSecret(ref: ExternalSecretRef): Promise<{ version: string; object: EsObject }> {
    const what = `get externalsecret ${ref.namespace}/${ref.name}`;
    const first = versionOf(ref.apiVersion);
    let firstError: unknown;
    for (const version of [first, first === 'v1' ? 'v1beta1' : 'v1']) {
      try {
        const object = (await this.#custom.getNamespacedCustomObject({ group: GROUP, version, namespace: ref.namespace, plural: 'externalsecrets', name: ref.name })) as EsObject;
        return { version, object };
      } catch (err) {
        const typed = kubeError(what, err);
        if (!(typed instanceof NotFound)) throw typed;
        firstError ??= typed;
      }
    }
    throw firstError;
  }

  async annotateExternalSecret(ref: ExternalSecretRef, annotations: Record<string, string>): Promise<string> {
    const what = `annotate externalsecret ${ref.namespace}/${ref.name}`;
    let last: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const { version, object } = await this.#readExternalSecret(ref);
      const resourceVersion = object.metadata?.resourceVersion ?? '';
      try {
        const patched = (await this.#custom.patchNamespacedCustomObject(
          { group: GROUP, version, namespace: ref.namespace, plural: 'externalsecrets', name: ref.name, body: { metadata: { resourceVersion, annotations } } },
          MERGE,
        )) as EsObject;
        return patched.metadata?.resourceVersion ?? '';
      } catch (err) {
        last = kubeError(what, err);
        if (!(last instanceof Conflict)) throw last;
      }
    }
    throw last;
  }

  async findConsumers(namespace: string, secretName: string): Promise<Consumer[]> {
    try {
      const list = await this.#apps.listNamespacedDeployment({ namespace });
      const out: Consumer[] = [];
      for (const d of list.items) {
        const { modes, envNames } = podSpecConsumes(d.spec?.template?.spec, secretName);
        if (modes.length > 0) out.push({ kind: 'Deployment', namespace, name: d.metadata?.name ?? '?', modes, envNames });
      }
      return out;
    } catch (err) {
      throw kubeError(`list deployments in ${namespace}`, err);
    }
  }

  async restartedAt(namespace: string, name: string): Promise<string | undefined> {
    try {
      const d = await this.#apps.readNamespacedDeployment({ namespace, name });
      return d.spec?.template?.metadata?.annotations?.[RESTARTED_AT];
    } catch (err) {
      throw kubeError(`get deployment ${namespace}/${name}`, err);
    }
  }

  async restartDeployment(namespace: string, name: string, at: string): Promise<void> {
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } };
    try {
      await this.#apps.patchNamespacedDeployment({ namespace, name, body }, MERGE);
    } catch (err) {
      throw kubeError(`restart deployment ${namespace}/${name}`, err);
    }
  }
}
