// The Vault KV v2 contract: against the local server always, and against a real Vault when VAULT_ADDR is set.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, NotFound, Unauthorized } from '../../src/remediate/errors.js';
import { connectVault } from '../../src/remediate/vault/auth.js';
import { VaultClient } from '../../src/remediate/vault/client.js';
import { Secret } from '../../src/secret.js';
import { startVault, type FakeVault } from './servers/vault-server.js';
import { VAULT_TOKEN } from './harness.js';

interface VaultTarget {
  address: string;
  token: string;
  namespace?: string;
  mount: string;
  /** Writes a full version (setup only, like `vault kv put`). */
  seed(path: string, data: Record<string, string>): Promise<void>;
  cleanup(): Promise<void>;
}

function contract(setup: () => Promise<VaultTarget>): void {
  let t: VaultTarget;
  let client: VaultClient;
  const path = `spillway-contract/${randomBytes(4).toString('hex')}/api-config`;
  beforeAll(async () => {
    t = await setup();
    client = new VaultClient({ address: t.address, token: new Secret(t.token), namespace: t.namespace });
    await t.seed(path, { API_KEY: 'first-value', OTHER: 'keep-me' });
  });
  afterAll(async () => t?.cleanup());

  it('token lookup-self accepts the token', async () => {
    expect((await client.lookupSelf()).policies.length).toBeGreaterThan(0);
  });

  it('reads the current version, wrapping values in Secret', async () => {
    const v = await client.read(t.mount, path);
    expect(v.version).toBe(1);
    expect(v.values.get('API_KEY')).toBeInstanceOf(Secret);
    expect(v.values.get('API_KEY')!.reveal()).toBe('first-value');
  });

  it('PATCH with cas changes only that property and makes a new version', async () => {
    const version = await client.patch(t.mount, path, { API_KEY: new Secret('second-value') }, 1);
    expect(version).toBe(2);
    const v = await client.read(t.mount, path);
    expect(Object.fromEntries([...v.values].map(([k, s]) => [k, s.reveal()]))).toEqual({ API_KEY: 'second-value', OTHER: 'keep-me' });
    expect((await client.read(t.mount, path, 1)).values.get('API_KEY')!.reveal()).toBe('first-value');
    const meta = await client.metadata(t.mount, path);
    expect(meta.currentVersion).toBe(2);
    expect([...meta.versions.keys()].sort()).toEqual([1, 2]);
  });

  it('a stale cas is a Conflict (400 check-and-set) and writes nothing', async () => {
    const err = await client.patch(t.mount, path, { API_KEY: new Secret('third-value') }, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Conflict).status).toBe(400);
    expect((err as Error).message).toContain('check-and-set parameter did not match the current version');
    expect((err as Error).message).not.toContain('third-value');
    expect((await client.metadata(t.mount, path)).currentVersion).toBe(2);
  });

  it('destroy removes a version for good: its read is NotFound, metadata marks it destroyed, the others stay', async () => {
    await client.destroy(t.mount, path, [1]);
    await expect(client.read(t.mount, path, 1)).rejects.toBeInstanceOf(NotFound);
    const meta = await client.metadata(t.mount, path);
    expect(meta.versions.get(1)?.destroyed).toBe(true);
    expect(meta.versions.get(2)?.destroyed).toBe(false);
    expect((await client.read(t.mount, path)).values.get('API_KEY')!.reveal()).toBe('second-value');
    await client.destroy(t.mount, path, [1]);
  });

  it('a missing path is NotFound', async () => {
    await expect(client.read(t.mount, `${path}-missing`)).rejects.toBeInstanceOf(NotFound);
    await expect(client.patch(t.mount, `${path}-missing`, { A: new Secret('b') }, 0)).rejects.toBeInstanceOf(NotFound);
  });

  it('a bad token is Unauthorized (403) and no error carries it', async () => {
    const badToken = `hvs.${'n'.repeat(24)}`;
    const bad = new VaultClient({ address: t.address, token: new Secret(badToken), namespace: t.namespace });
    const err = await bad.read(t.mount, path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unauthorized);
    expect((err as Unauthorized).status).toBe(403);
    expect((err as Unauthorized).cause).toBeInstanceOf(Error);
    const everything = JSON.stringify(err, Object.getOwnPropertyNames(err)) + String((err as Error).cause) + (err as Error).stack;
    expect(everything).not.toContain(badToken);
    await expect(connectVault({ VAULT_ADDR: t.address, VAULT_TOKEN: badToken, VAULT_NAMESPACE: t.namespace })).rejects.toThrow('vault: token lookup-self: permission denied');
  });
}

describe('Vault KV v2 contract: local server', () => {
  let fake: FakeVault;
  contract(async () => {
    fake = await startVault({ token: VAULT_TOKEN, namespace: 'team-ns', mounts: ['apps-prod'], approle: { roleId: 'role-1', secretId: 'secret-1' } });
    return {
      address: fake.url,
      token: VAULT_TOKEN,
      namespace: 'team-ns',
      mount: 'apps-prod',
      seed: async (path, data) => void fake.put('apps-prod', path, data),
      cleanup: () => fake.close(),
    };
  });

  it('sends X-Vault-Namespace on every request, PATCH as merge-patch+json', () => {
    expect(fake.requests.every((r) => r.namespace === 'team-ns' || r.path.endsWith('lookup-self'))).toBe(true);
    expect(fake.requests.filter((r) => r.method === 'PATCH').every((r) => r.contentType === 'application/merge-patch+json')).toBe(true);
  });

  it('logs in with AppRole, and rejects bad AppRole credentials clearly', async () => {
    const client = await connectVault({ VAULT_ADDR: fake.url, VAULT_ROLE_ID: 'role-1', VAULT_SECRET_ID: 'secret-1', VAULT_NAMESPACE: 'team-ns' });
    expect((await client.lookupSelf()).policies).toContain('default');
    await expect(connectVault({ VAULT_ADDR: fake.url, VAULT_ROLE_ID: 'role-1', VAULT_SECRET_ID: 'wrong', VAULT_NAMESPACE: 'team-ns' })).rejects.toThrow('vault: AppRole login (auth/approle/login): invalid role or secret ID');
  });

  it('a 503 is Unavailable; an unreachable Vault says so', async () => {
    fake.put('apps-prod', 'x/y', { A: '1' });
    fake.patchFaults.push('503');
    const client = new VaultClient({ address: fake.url, token: new Secret(VAULT_TOKEN), namespace: 'team-ns' });
    await expect(client.patch('apps-prod', 'x/y', { A: new Secret('2') }, 1)).rejects.toMatchObject({ name: 'Unavailable', status: 503 });
    const down = new VaultClient({ address: 'http://127.0.0.1:9', token: new Secret(VAULT_TOKEN) });
    await expect(down.read('apps-prod', 'x/y')).rejects.toThrow('vault: read apps-prod/x/y: cannot reach Vault');
  });
});

const realVault = process.env.VAULT_ADDR && process.env.VAULT_TOKEN;
describe.skipIf(!realVault)(
  `Vault KV v2 contract: real Vault at VAULT_ADDR${realVault ? '' : ' — SKIPPED: set VAULT_ADDR and VAULT_TOKEN (e.g. `vault server -dev`), optionally VAULT_NAMESPACE and SPILLWAY_TEST_VAULT_MOUNT (default secret)'}`,
  () => {
    const mount = process.env.SPILLWAY_TEST_VAULT_MOUNT ?? 'secret';
    const headers = (): Record<string, string> => ({
      'X-Vault-Token': process.env.VAULT_TOKEN!,
      'Content-Type': 'application/json',
      ...(process.env.VAULT_NAMESPACE ? { 'X-Vault-Namespace': process.env.VAULT_NAMESPACE } : {}),
    });
    const paths: string[] = [];
    contract(async () => ({
      address: process.env.VAULT_ADDR!,
      token: process.env.VAULT_TOKEN!,
      namespace: process.env.VAULT_NAMESPACE || undefined,
      mount,
      async seed(path, data) {
        paths.push(path);
        const res = await fetch(`${process.env.VAULT_ADDR}/v1/${mount}/data/${path}`, { method: 'POST', headers: headers(), body: JSON.stringify({ data }) });
        if (!res.ok) throw new Error(`seeding ${mount}/${path}: HTTP ${res.status}`);
      },
      async cleanup() {
        for (const p of paths) await fetch(`${process.env.VAULT_ADDR}/v1/${mount}/metadata/${p}`, { method: 'DELETE', headers: headers() });
      },
    }));
  },
);
