// A local Kubernetes API server for externalsecrets.external-secrets.io, apps/v1 deployments and v1 secrets (metadata): GET, list,
// merge PATCH, resourceVersion, 404, 409; and a stand-in for ESO, which syncs an ExternalSecret when its force-sync annotation changes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, listen, mergePatch } from './http-util.js';

type Obj = Record<string, any>;

export interface KubePatch {
  kind: 'ExternalSecret' | 'Deployment';
  namespace: string;
  name: string;
  body: Obj;
}

export interface FakeKube {
  url: string;
  token: string;
  /** Objects by `kind/namespace/name`. */
  objects: Map<string, Obj>;
  patches: KubePatch[];
  /** Answer the next N PATCHes of ExternalSecrets with 409 Conflict (as if someone else wrote first). */
  conflicts: number;
  /** The external-secrets.io versions served (ESO 0.17+ serves v1 only). */
  served: string[];
  /**
   * What the stand-in ESO does when an ExternalSecret's force-sync annotation changes: `sync` (default) writes its target
   * Secret (new resourceVersion) and sets status.refreshTime and Ready=True; `stall` does nothing; `error` sets Ready=False.
   */
  eso: 'sync' | 'stall' | 'error';
  /** How far the cluster's clock (ESO's refreshTime) is behind ours, in ms. */
  clockSkewMs: number;
  /** Accept headers of Secret reads (the client must ask for metadata only). */
  secretAccepts: string[];
  /** As ArgoCD applying a synced manifest: sets the ExternalSecret's annotations (and ESO reacts). */
  applyAnnotations(namespace: string, name: string, annotations: Record<string, string>): void;
  /** ESO syncing ExternalSecret namespace/name now (e.g. later than the force-sync, or after a stall). */
  syncNow(namespace: string, name: string): void;
  /** Called on each successful PATCH, before it is answered. */
  onPatch?: (patch: KubePatch) => void | Promise<void>;
  add(obj: Obj): void;
  get(kind: string, namespace: string, name: string): Obj | undefined;
  /** A kubeconfig file's text pointing at this server. */
  kubeconfig(): string;
  close(): Promise<void>;
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/** Starts the fake API server on 127.0.0.1; requests need `Authorization: Bearer <token>`. */
export async function startKube(token: string): Promise<FakeKube> {
  let rv = 100;
  const state: Omit<FakeKube, 'url' | 'close' | 'kubeconfig'> = {
    token,
    objects: new Map(),
    patches: [],
    conflicts: 0,
    served: ['v1beta1', 'v1'],
    eso: 'sync',
    clockSkewMs: 0,
    secretAccepts: [],
    applyAnnotations(namespace, name, annotations) {
      const key = `ExternalSecret/${namespace}/${name}`;
      const before = state.objects.get(key)!;
      const next = mergePatch(before, { metadata: { annotations } }) as Obj;
      next.metadata.resourceVersion = String(++rv);
      state.objects.set(key, next);
      esoReacts(before, next);
    },
    syncNow(namespace, name) {
      syncExternalSecret(state.objects.get(`ExternalSecret/${namespace}/${name}`)!);
    },
    add(obj) {
      obj.metadata.resourceVersion = String(++rv);
      state.objects.set(`${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`, obj);
    },
    get: (kind, namespace, name) => state.objects.get(`${kind}/${namespace}/${name}`),
  };

  /** ESO's controller, reduced to what remediation observes: a changed force-sync makes it re-read the store. */
  function esoReacts(before: Obj, es: Obj): void {
    if (before.metadata.annotations?.['force-sync'] === es.metadata.annotations?.['force-sync'] || state.eso === 'stall') return;
    if (state.eso === 'error') {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      es.status = { conditions: [{ type: 'Ready', status: 'False', reason: 'SecretSyncedError', message: 'could not get secret data from provider', lastTransitionTime: now }] };
      return;
    }
    syncExternalSecret(es);
  }

  /** ESO's sync of one ExternalSecret: writes the target Secret, then records refreshTime and Ready=True. */
  function syncExternalSecret(es: Obj): void {
    const now = new Date(Date.now() - state.clockSkewMs).toISOString().replace(/\.\d+Z$/, 'Z');
    const target = es.spec?.target?.name ?? es.metadata.name;
    const secret = state.objects.get(`Secret/${es.metadata.namespace}/${target}`) ?? { apiVersion: 'v1', kind: 'Secret', metadata: { name: target, namespace: es.metadata.namespace } };
    state.add(secret);
    es.status = { refreshTime: now, syncedResourceVersion: `1-${es.metadata.resourceVersion}`, conditions: [{ type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'secret synced', lastTransitionTime: now }] };
  }

  const handler = async (req: IncomingMessage, body: string, res: ServerResponse): Promise<void> => {
    if (req.headers.authorization !== `Bearer ${token}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const url = new URL(req.url ?? '/', 'http://x');
    const secret = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(url.pathname);
    if (secret && req.method === 'GET') {
      state.secretAccepts.push(String(req.headers.accept));
      const found = state.objects.get(`Secret/${decodeURIComponent(secret[1]!)}/${decodeURIComponent(secret[2]!)}`);
      if (!found) return status(res, 404, 'NotFound', `secrets "${secret[2]}" not found`);
      return json(res, 200, { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: found.metadata });
    }
    const es = /^\/apis\/external-secrets\.io\/(v1beta1|v1)\/namespaces\/([^/]+)\/externalsecrets(?:\/([^/]+))?$/.exec(url.pathname);
    const dep = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments(?:\/([^/]+))?$/.exec(url.pathname);
    if ((!es || !state.served.includes(es[1]!)) && !dep) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    const kind = es ? 'ExternalSecret' : 'Deployment';
    const namespace = decodeURIComponent((es ? es[2] : dep![1])!);
    const name = es ? es[3] : dep![2];
    const resource = es ? 'externalsecrets.external-secrets.io' : 'deployments.apps';
    if (!name) {
      if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed', 'method not allowed');
      const items = [...state.objects.values()].filter((o) => o.kind === kind && o.metadata.namespace === namespace);
      return json(res, 200, { apiVersion: es ? `external-secrets.io/${es[1]}` : 'apps/v1', kind: `${kind}List`, metadata: { resourceVersion: String(rv) }, items });
    }
    const key = `${kind}/${namespace}/${decodeURIComponent(name)}`;
    const obj = state.objects.get(key);
    if (!obj) return status(res, 404, 'NotFound', `${resource} "${name}" not found`);
    if (req.method === 'GET') return json(res, 200, obj);
    if (req.method !== 'PATCH') return status(res, 405, 'MethodNotAllowed', 'method not allowed');
    if (req.headers['content-type'] !== 'application/merge-patch+json') return status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
    const patch = JSON.parse(body || '{}') as Obj;
    const wanted = patch.metadata?.resourceVersion;
    if ((kind === 'ExternalSecret' && state.conflicts > 0) || (wanted !== undefined && wanted !== obj.metadata.resourceVersion)) {
      if (kind === 'ExternalSecret' && state.conflicts > 0) state.conflicts--;
      return status(res, 409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const next = mergePatch(obj, patch) as Obj;
    next.metadata.resourceVersion = String(++rv);
    state.objects.set(key, next);
    if (kind === 'ExternalSecret') esoReacts(obj, next);
    const record: KubePatch = { kind, namespace, name: decodeURIComponent(name), body: patch };
    state.patches.push(record);
    if (state.onPatch) await state.onPatch(record);
    return json(res, 200, next);
  };

  const server = await listen(handler);
  const kubeconfig = (): string =>
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: local`,
      `  cluster:`,
      `    server: ${server.url}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: tester',
      '  user:',
      `    token: ${token}`,
      'contexts:',
      '- name: local',
      '  context:',
      '    cluster: local',
      '    user: tester',
      'current-context: local',
      '',
    ].join('\n');
  return Object.assign(state, { url: server.url, close: server.close, kubeconfig }) as FakeKube;
}
