// A small Vault KV v2 client: read a version, read metadata, patch one property with check-and-set.
import { Secret } from '../../secret.js';
import { guardedFetch } from '../../net/guarded-fetch.js';
import { scrubCredential } from '../errors.js';
import { joinUrl, type FetchLike } from '../http.js';
import { notVaultJson, vaultError, vaultTransportError } from './errors.js';

/** One version of a KV v2 secret: every value wrapped in a Secret. */
export interface KvVersion {
  version: number;
  createdTime?: string;
  values: Map<string, Secret>;
}

/** KV v2 metadata of a path: the current version and when each version was made. */
export interface KvMetadata {
  currentVersion: number;
  versions: Map<number, { createdTime?: string; deletionTime?: string; destroyed: boolean }>;
}

export interface VaultClientOptions {
  /** VAULT_ADDR, e.g. `https://vault.example.com:8200`. */
  address: string;
  token: Secret;
  /** Sent as `X-Vault-Namespace` (Vault Enterprise / HCP). */
  namespace?: string;
  /** The HTTP seam; the shared policy (src/net/guarded-fetch.ts) by default. */
  fetch?: FetchLike;
}

/** What remediation needs from Vault; tests and other backends may implement it too. */
export interface KvStore {
  readonly address: string;
  readonly namespace: string | undefined;
  lookupSelf(): Promise<{ displayName?: string; policies: string[] }>;
  read(mount: string, path: string, version?: number): Promise<KvVersion>;
  metadata(mount: string, path: string): Promise<KvMetadata>;
  /** PATCH (JSON merge patch) of `values` only, with `cas`: the other keys stay. Returns the new version. */
  patch(mount: string, path: string, values: Record<string, Secret>, cas: number): Promise<number>;
}

function toValues(data: unknown): Map<string, Secret> {
  const values = new Map<string, Secret>();
  if (typeof data !== 'object' || data === null) return values;
  for (const [key, value] of Object.entries(data)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    // A later error body may echo a value read here: every error message is scrubbed of it.
    scrubCredential(text);
    values.set(key, new Secret(text));
  }
  return values;
}

/** A Vault client over HTTP. Errors are typed (see ../errors.ts) and never contain the token or a value. */
export class VaultClient implements KvStore {
  readonly address: string;
  readonly namespace: string | undefined;
  readonly #token: Secret;
  readonly #fetch: FetchLike;

  constructor(options: VaultClientOptions) {
    this.address = options.address.replace(/\/+$/, '');
    this.namespace = options.namespace || undefined;
    this.#token = options.token;
    this.#fetch = options.fetch ?? guardedFetch();
  }

  async #request(method: string, segments: string[], what: string, body?: unknown, query?: string): Promise<unknown> {
    const headers: Record<string, string> = { 'X-Vault-Token': this.#token.reveal(), Accept: 'application/json' };
    if (this.namespace) headers['X-Vault-Namespace'] = this.namespace;
    if (body !== undefined) headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(joinUrl(this.address, 'v1', ...segments) + (query ?? ''), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw vaultTransportError(what, err);
    }
    const text = await response.text().catch((err: unknown) => {
      throw vaultTransportError(what, err);
    });
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw vaultError(what, response.status, parsed, response.headers.get('retry-after'));
    if (text && (parsed === undefined || typeof parsed !== 'object' || parsed === null)) throw notVaultJson(what, this.address, response);
    return parsed;
  }

  async lookupSelf(): Promise<{ displayName?: string; policies: string[] }> {
    const body = (await this.#request('GET', ['auth/token/lookup-self'], 'token lookup-self')) as { data?: { display_name?: string; policies?: string[] } };
    const out: { displayName?: string; policies: string[] } = { policies: body?.data?.policies ?? [] };
    if (body?.data?.display_name) out.displayName = body.data.display_name;
    return out;
  }

  async read(mount: string, path: string, version?: number): Promise<KvVersion> {
    const query = version === undefined ? '' : `?version=${version}`;
    const what = `read ${mount}/${path}${version === undefined ? '' : ` version ${version}`}`;
    const body = (await this.#request('GET', [mount, 'data', path], what, undefined, query)) as {
      data?: { data?: unknown; metadata?: { version?: number; created_time?: string } };
    };
    const out: KvVersion = { version: body?.data?.metadata?.version ?? 0, values: toValues(body?.data?.data) };
    if (body?.data?.metadata?.created_time) out.createdTime = body.data.metadata.created_time;
    return out;
  }

  async metadata(mount: string, path: string): Promise<KvMetadata> {
    const body = (await this.#request('GET', [mount, 'metadata', path], `read metadata of ${mount}/${path}`)) as {
      data?: { current_version?: number; versions?: Record<string, { created_time?: string; deletion_time?: string; destroyed?: boolean }> };
    };
    const versions = new Map<number, { createdTime?: string; deletionTime?: string; destroyed: boolean }>();
    for (const [n, v] of Object.entries(body?.data?.versions ?? {})) {
      const entry: { createdTime?: string; deletionTime?: string; destroyed: boolean } = { destroyed: v.destroyed === true };
      if (v.created_time) entry.createdTime = v.created_time;
      if (v.deletion_time) entry.deletionTime = v.deletion_time;
      versions.set(Number(n), entry);
    }
    return { currentVersion: body?.data?.current_version ?? 0, versions };
  }

  async patch(mount: string, path: string, values: Record<string, Secret>, cas: number): Promise<number> {
    const data: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
      data[key] = value.reveal();
      scrubCredential(data[key]);
    }
    const what = `patch ${mount}/${path} (keys ${Object.keys(values).join(', ')}, cas ${cas})`;
    const body = (await this.#request('PATCH', [mount, 'data', path], what, { data, options: { cas } })) as { data?: { version?: number } };
    const version = body?.data?.version;
    if (typeof version !== 'number') throw vaultTransportError(what, new Error('Vault answered without a version'));
    return version;
  }
}
