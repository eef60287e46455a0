// The one retry layer of every Vault request: reads on 429 and 5xx (honouring Retry-After), writes on 429 only.
import { RateLimited } from '../errors.js';
import { withRetries, type RetryPolicy } from '../retry.js';
import type { KvStore } from './client.js';

/**
 * The KvStore with bounded retries: reads on 429 and 5xx (honouring Retry-After), the cas PATCH and destroy on 429
 * only (Vault did not act on it; after a 5xx the write may have happened, and only reconcile can tell).
 * NOTE: the client under it sends with the HTTP policy's own retries off, so a request is tried `attempts` times, not
 * that times the HTTP layer's.
 */
export function retryingKvStore(vault: KvStore, policy: RetryPolicy = {}): KvStore {
  const writes = { ...policy, retryOn: (err: unknown) => err instanceof RateLimited };
  return {
    address: vault.address,
    namespace: vault.namespace,
    lookupSelf: () => withRetries(() => vault.lookupSelf(), policy),
    read: (mount, path, version) => withRetries(() => vault.read(mount, path, version), policy),
    metadata: (mount, path) => withRetries(() => vault.metadata(mount, path), policy),
    patch: (mount, path, values, cas) => withRetries(() => vault.patch(mount, path, values, cas), writes),
    destroy: (mount, path, versions) => withRetries(() => vault.destroy(mount, path, versions), writes),
  };
}
