// A local Kubernetes API server for externalsecrets.external-secrets.io and apps/v1 deployments: GET, list, merge PATCH, resourceVersion, 404, 409.
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
    add(obj) {
      obj.metadata.resourceVersion = String(++rv);
      state.objects.set(`${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`, obj);
    },
    get: (kind, namespace, name) => state.objects.get(`${kind}/${namespace}/${name}`),
  };

  const handler = async (req: IncomingMessage, body: string, res: ServerResponse): Promise<void> => {
    if (req.headers.authorization !== `Bearer ${token}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const url = new URL(req.url ?? '/', 'http://x');
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
