// Vault credentials from the environment: VAULT_TOKEN, or an AppRole login with VAULT_ROLE_ID/VAULT_SECRET_ID.
import { Secret } from '../../secret.js';
import { guardedFetch } from '../../net/guarded-fetch.js';
import { joinUrl, type FetchLike } from '../http.js';
import { scrubCredential, Unauthorized } from '../errors.js';
import { VaultClient, type KvStore } from './client.js';
import { retryingKvStore } from './retrying.js';
import { notVaultJson, vaultError, vaultTransportError } from './errors.js';

export interface VaultEnv {
  VAULT_ADDR?: string;
  VAULT_TOKEN?: string;
  VAULT_ROLE_ID?: string;
  VAULT_SECRET_ID?: string;
  VAULT_NAMESPACE?: string;
  /** Where AppRole is mounted; `approle` by default. */
  VAULT_APPROLE_MOUNT?: string;
}

async function appRoleLogin(address: string, env: VaultEnv, namespace: string | undefined, fetchFn: FetchLike): Promise<Secret> {
  const mount = env.VAULT_APPROLE_MOUNT || 'approle';
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (namespace) headers['X-Vault-Namespace'] = namespace;
  const what = `AppRole login (auth/${mount}/login)`;
  let response: Response;
  try {
    response = await fetchFn(joinUrl(address, 'v1', 'auth', mount, 'login'), {
      method: 'POST',
      headers,
      body: JSON.stringify({ role_id: env.VAULT_ROLE_ID, secret_id: env.VAULT_SECRET_ID }),
    });
  } catch (err) {
    throw vaultTransportError(what, err);
  }
  const body = (await response.json().catch(() => undefined)) as { auth?: { client_token?: string } } | undefined;
  if (!response.ok) throw vaultError(what, response.status, body, response.headers.get('retry-after'));
  if (typeof body !== 'object' || body === null) throw notVaultJson(what, address, response);
  const token = body?.auth?.client_token;
  if (!token) throw new Unauthorized(`vault: ${what}: no client token in the answer`, { service: 'vault', status: response.status });
  scrubCredential(token);
  return new Secret(token);
}

/**
 * A Vault client authenticated from `env` (which may also hold SPILLWAY_HTTP_TIMEOUT / SPILLWAY_ALLOW_HTTP), checked with `token lookup-self` before anything else happens.
 * Throws Unauthorized with a clear message when credentials are missing or rejected. `namespace` overrides VAULT_NAMESPACE.
 */
export async function connectVault(env: VaultEnv, options: { fetch?: FetchLike; namespace?: string } = {}): Promise<KvStore> {
  const address = env.VAULT_ADDR;
  if (!address) throw new Unauthorized('vault: VAULT_ADDR is not set', { service: 'vault' });
  const httpEnv = env as Record<string, string | undefined>;
  // The client's requests go with the HTTP policy's own retries off: retryingKvStore is their one retry layer.
  const fetchFn = options.fetch ?? guardedFetch({ env: httpEnv, retries: 0 });
  const namespace = env.VAULT_NAMESPACE || options.namespace || undefined;
  for (const c of [env.VAULT_TOKEN, env.VAULT_ROLE_ID, env.VAULT_SECRET_ID]) scrubCredential(c);
  let token: Secret;
  if (env.VAULT_TOKEN) token = new Secret(env.VAULT_TOKEN);
  else if (env.VAULT_ROLE_ID && env.VAULT_SECRET_ID) token = await appRoleLogin(address, env, namespace, options.fetch ?? guardedFetch({ env: httpEnv }));
  else throw new Unauthorized('vault: no credentials: set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID for AppRole', { service: 'vault' });
  const client = retryingKvStore(new VaultClient({ address, token, namespace, fetch: fetchFn }));
  await client.lookupSelf();
  return client;
}
