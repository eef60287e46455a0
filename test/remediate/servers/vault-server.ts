// A local Vault KV v2 server following the documented HTTP API: data, metadata, versions, PATCH, cas, namespaces, AppRole.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, listen, mergePatch } from './http-util.js';

interface Version {
  data: Record<string, unknown>;
  created_time: string;
}

export interface VaultRequest {
  method: string;
  path: string;
  namespace?: string;
  contentType?: string;
}

export interface FakeVault {
  url: string;
  /** Secrets by `mount/path`: every version, 1-based (index 0 is version 1). */
  secrets: Map<string, Version[]>;
  requests: VaultRequest[];
  /** Successful PATCH writes so far. */
  patches: number;
  /** Faults for the next PATCH requests: `503`/`429` answer so without writing, `503-after-write` writes then answers 503. */
  patchFaults: ('503' | '429' | '503-after-write')[];
  /** Faults for the next reads (data or metadata GET): the status to answer, and its Retry-After if any. */
  readFaults: { status: 429 | 503; retryAfter?: string }[];
  /** Called when a PATCH arrives, before its cas is checked (to simulate a concurrent writer). */
  beforePatch?: () => void;
  /** Awaited after a PATCH is written and before it is answered (to kill a client in between). */
  afterPatchWrite?: () => Promise<void>;
  /** Writes a full version (like `vault kv put`), for seeding. */
  put(mount: string, path: string, data: Record<string, unknown>): number;
  current(mount: string, path: string): Record<string, unknown> | undefined;
  close(): Promise<void>;
}

export interface FakeVaultOptions {
  token: string;
  /** When set, requests must carry this X-Vault-Namespace. */
  namespace?: string;
  mounts: string[];
  approle?: { roleId: string; secretId: string };
}

const denied = { errors: ['permission denied'] };

/** Starts the fake Vault on 127.0.0.1. */
export async function startVault(options: FakeVaultOptions): Promise<FakeVault> {
  const secrets = new Map<string, Version[]>();
  const tokens = new Set([options.token]);
  const put = (mount: string, path: string, data: Record<string, unknown>): number => {
    const versions = secrets.get(`${mount}/${path}`) ?? [];
    versions.push({ data, created_time: new Date().toISOString() });
    secrets.set(`${mount}/${path}`, versions);
    return versions.length;
  };
  const state: Omit<FakeVault, 'url' | 'close'> = {
    secrets,
    requests: [],
    patches: 0,
    patchFaults: [],
    readFaults: [],
    put,
    current: (mount, path) => secrets.get(`${mount}/${path}`)?.at(-1)?.data,
  };

  const handler = async (req: IncomingMessage, body: string, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    const namespace = req.headers['x-vault-namespace'] as string | undefined;
    state.requests.push({ method: req.method ?? '', path: url.pathname, namespace, contentType: req.headers['content-type'] });
    if (options.namespace !== undefined && namespace !== options.namespace) return json(res, 403, denied);
    if (req.method === 'POST' && url.pathname === '/v1/auth/approle/login') {
      const creds = JSON.parse(body || '{}') as { role_id?: string; secret_id?: string };
      if (!options.approle || creds.role_id !== options.approle.roleId || creds.secret_id !== options.approle.secretId) {
        return json(res, 400, { errors: ['invalid role or secret ID'] });
      }
      const token = `hvs.approle-${tokens.size}`;
      tokens.add(token);
      return json(res, 200, { auth: { client_token: token, policies: ['default'], lease_duration: 3600 } });
    }
    if (!tokens.has(String(req.headers['x-vault-token'] ?? ''))) return json(res, 403, denied);
    if (req.method === 'GET' && url.pathname === '/v1/auth/token/lookup-self') {
      return json(res, 200, { data: { display_name: 'token', policies: ['default', 'remediate'] } });
    }
    const m = /^\/v1\/([^/]+)\/(data|metadata)\/(.+)$/.exec(url.pathname);
    if (!m || !options.mounts.includes(m[1]!)) return json(res, 404, { errors: [`no handler for route "${url.pathname.slice(4)}"`] });
    const [, mount, kind, rawPath] = m as unknown as [string, string, string, string];
    const path = decodeURIComponent(rawPath);
    const versions = secrets.get(`${mount}/${path}`);
    const readFault = req.method === 'GET' ? state.readFaults.shift() : undefined;
    if (readFault) return json(res, readFault.status, { errors: [readFault.status === 429 ? 'rate limit quota exceeded' : 'Vault is sealed'] }, readFault.retryAfter ? { 'Retry-After': readFault.retryAfter } : {});
    if (kind === 'metadata' && req.method === 'GET') {
      if (!versions) return json(res, 404, { errors: [] });
      const out: Record<string, unknown> = {};
      versions.forEach((v, i) => (out[String(i + 1)] = { created_time: v.created_time, deletion_time: '', destroyed: false }));
      return json(res, 200, { data: { current_version: versions.length, oldest_version: 0, max_versions: 0, cas_required: false, versions: out } });
    }
    if (kind !== 'data') return json(res, 405, { errors: ['unsupported operation'] });
    if (req.method === 'GET') {
      const n = url.searchParams.has('version') ? Number(url.searchParams.get('version')) : versions?.length ?? 0;
      const v = n > 0 ? versions?.[n - 1] : undefined;
      if (!v) return json(res, 404, { errors: [] });
      return json(res, 200, { data: { data: v.data, metadata: { version: n, created_time: v.created_time, deletion_time: '', destroyed: false, custom_metadata: null } } });
    }
    if (req.method === 'POST' || req.method === 'PUT') {
      const { data, options: opts } = JSON.parse(body || '{}') as { data?: Record<string, unknown>; options?: { cas?: number } };
      if (opts?.cas !== undefined && opts.cas !== (versions?.length ?? 0)) return json(res, 400, { errors: ['check-and-set parameter did not match the current version'] });
      const version = put(mount, path, data ?? {});
      return json(res, 200, { data: { version, created_time: new Date().toISOString(), deletion_time: '', destroyed: false } });
    }
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/merge-patch+json') return json(res, 415, { errors: ['unsupported media type'] });
      if (state.beforePatch) state.beforePatch();
      if (!versions) return json(res, 404, { errors: [] });
      const { data, options: opts } = JSON.parse(body || '{}') as { data?: Record<string, unknown>; options?: { cas?: number } };
      if (opts?.cas !== undefined && opts.cas !== versions.length) return json(res, 400, { errors: ['check-and-set parameter did not match the current version'] });
      const fault = state.patchFaults.shift();
      if (fault === '503') return json(res, 503, { errors: ['Vault is sealed'] });
      if (fault === '429') return json(res, 429, { errors: ['rate limit quota exceeded'] }, { 'Retry-After': '0' });
      const version = put(mount, path, mergePatch(versions.at(-1)!.data, data ?? {}) as Record<string, unknown>);
      state.patches++;
      if (state.afterPatchWrite) await state.afterPatchWrite();
      if (fault === '503-after-write') return json(res, 503, { errors: ['upstream timed out'] });
      return json(res, 200, { data: { version, created_time: new Date().toISOString(), deletion_time: '', destroyed: false } });
    }
    return json(res, 405, { errors: ['unsupported operation'] });
  };

  const server = await listen(handler);
  return Object.assign(state, { url: server.url, close: server.close }) as FakeVault;
}
