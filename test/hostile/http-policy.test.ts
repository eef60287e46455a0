// A faulty or hostile server (Vault, Kubernetes) cannot get a credential, hang spillway, fill its memory or pass
// an HTML page off as data: the shared HTTP policy (src/net/guarded-fetch.ts) against servers on this machine.
import { Agent } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/net/guarded-fetch.js';
import { nodeRequest, type NodeRequestInit } from '../../src/net/node-request.js';
import { KubeCluster, loadKubeConfig } from '../../src/remediate/k8s/client.js';
import { connectVault } from '../../src/remediate/vault/auth.js';
import { VaultClient } from '../../src/remediate/vault/client.js';
import { Secret } from '../../src/secret.js';
import { kubeconfig, nonLoopbackAddress, selfSigned, sendJson, serve, type TestServer } from './servers.js';

const VAULT_TOKEN = ['hvs', 'policy', 'q'.repeat(22)].join('.');
const KUBE_TOKEN = ['kube', 'w'.repeat(26)].join('-');
const kvAnswer = { data: { data: { API_KEY: 'value-from-vault' }, metadata: { version: 3 } } };

const open: TestServer[] = [];
const dirs: string[] = [];
async function server(...args: Parameters<typeof serve>): Promise<TestServer> {
  const s = await serve(...args);
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tokenSeenBy = (s: TestServer): boolean => s.seen.some((r) => JSON.stringify(r.headers).includes(VAULT_TOKEN) || JSON.stringify(r.headers).includes(KUBE_TOKEN));
const vault = (address: string, fetch?: VaultClient extends never ? never : Parameters<typeof guardedFetch>[0]): VaultClient =>
  new VaultClient({ address, token: new Secret(VAULT_TOKEN), ...(fetch ? { fetch: guardedFetch(fetch) } : {}) });

function cluster(config: string, env: Record<string, string | undefined> = {}): KubeCluster {
  const dir = mkdtempSync(join(tmpdir(), 'spillway-kube-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'config'), config);
  return new KubeCluster(loadKubeConfig({ KUBECONFIG: join(dir, 'config') }), env);
}

describe('redirects', () => {
  it('Vault redirecting to another origin: not followed, the token never goes there', async () => {
    const elsewhere = await server((_req, res) => sendJson(res, 200, kvAnswer));
    const redirector = await server((req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}${req.url}` });
      res.end();
    });
    await expect(vault(redirector.url).read('kv', 'app')).rejects.toThrow(`vault: read kv/app: ${redirector.url} redirected to another origin (${elsewhere.url}); not followed`);
    expect(elsewhere.seen).toEqual([]);
  });

  it('a same-origin redirect is followed with the token, a bounded number of times', async () => {
    const s = await server((req, res) => {
      if (req.url!.startsWith('/v1/kv/data/old')) {
        res.writeHead(307, { location: '/v1/kv/data/app' });
        return void res.end();
      }
      if (req.url!.startsWith('/v1/kv/data/loop')) {
        res.writeHead(302, { location: req.url! });
        return void res.end();
      }
      sendJson(res, 200, kvAnswer);
    });
    expect((await vault(s.url).read('kv', 'old')).values.get('API_KEY')!.reveal()).toBe('value-from-vault');
    await expect(vault(s.url).read('kv', 'loop')).rejects.toThrow(`${s.url} redirected more than 5 times; stopped`);
    expect(s.seen.filter((r) => r.path.startsWith('/v1/kv/data/loop'))).toHaveLength(6);
  });

  it('Kubernetes over https redirected to plain http: refused, the bearer token stays', async () => {
    const tls = selfSigned();
    const plain = await server((_req, res) => sendJson(res, 200, { metadata: { resourceVersion: '1' } }));
    const api = await server(
      (req, res) => {
        res.writeHead(302, { location: `${plain.url}${req.url}` });
        res.end();
      },
      { tls },
    );
    const err = await cluster(kubeconfig(api.url, KUBE_TOKEN, tls.cert))
      .getExternalSecret({ namespace: 'ns', name: 'es' })
      .catch((e: unknown) => e as Error);
    expect(err.message).toContain(`refused a redirect from ${api.url} to ${plain.url}: https never falls back to plain http`);
    expect(api.seen.length).toBeGreaterThan(0);
    expect(plain.seen).toEqual([]);
  });

  it('Vault over https redirected to plain http on the same host: refused', async () => {
    const tls = selfSigned();
    const plain = await server((_req, res) => sendJson(res, 200, kvAnswer));
    const api = await server(
      (req, res) => {
        res.writeHead(301, { location: `${plain.url}${req.url}` });
        res.end();
      },
      { tls },
    );
    const agent = new Agent({ ca: tls.cert });
    const withCa = (url: string, init?: RequestInit) => nodeRequest(url, { ...init, agent } as NodeRequestInit);
    await expect(vault(api.url, { fetch: withCa }).read('kv', 'app')).rejects.toThrow('https never falls back to plain http');
    expect(plain.seen).toEqual([]);
    agent.destroy();
  });
});

const elsewhere = nonLoopbackAddress();
describe.skipIf(!elsewhere)(`credentials over plain http to a host that is not loopback (${elsewhere ?? 'none on this machine'})`, () => {
  it('Vault: refused before connecting, naming SPILLWAY_ALLOW_HTTP; allowed with it', async () => {
    const s = await server((_req, res) => sendJson(res, 200, { data: { policies: ['default'] } }), { host: elsewhere! });
    await expect(connectVault({ VAULT_ADDR: s.url, VAULT_TOKEN })).rejects.toThrow(
      `vault: token lookup-self: refused to send a credential over plain http to ${s.url}: use https (or set SPILLWAY_ALLOW_HTTP=1`,
    );
    expect(s.seen).toEqual([]);
    const allowed = await connectVault({ VAULT_ADDR: s.url, VAULT_TOKEN, SPILLWAY_ALLOW_HTTP: '1' } as Parameters<typeof connectVault>[0]);
    expect(allowed.address).toBe(s.url);
    expect(tokenSeenBy(s)).toBe(true);
  });

  it('Kubernetes: the bearer token is not sent over plain http', async () => {
    const s = await server((_req, res) => sendJson(res, 200, { metadata: { resourceVersion: '7' } }), { host: elsewhere! });
    await expect(cluster(kubeconfig(s.url, KUBE_TOKEN)).getExternalSecret({ namespace: 'ns', name: 'es' })).rejects.toThrow(
      `refused to send a credential over plain http to ${s.url}`,
    );
    expect(s.seen).toEqual([]);
    const allowed = await cluster(kubeconfig(s.url, KUBE_TOKEN), { SPILLWAY_ALLOW_HTTP: '1' }).getExternalSecret({ namespace: 'ns', name: 'es' });
    expect(allowed.resourceVersion).toBe('7');
  });
});

describe('timeouts and sizes', () => {
  it('a silent Vault fails after SPILLWAY_HTTP_TIMEOUT, naming its origin only', { timeout: 15_000 }, async () => {
    const s = await server(() => undefined);
    const env = { VAULT_ADDR: `${s.url}/some/path?x=1`, VAULT_TOKEN, SPILLWAY_HTTP_TIMEOUT: '0.5' } as Parameters<typeof connectVault>[0];
    await expect(connectVault(env)).rejects.toThrow(`vault: token lookup-self: no complete answer from ${s.url} within 0.5 s (SPILLWAY_HTTP_TIMEOUT sets the limit`);
  });

  it('a Vault that sends headers and then trickles its body fails at the same deadline', { timeout: 15_000 }, async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
      const drip = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(drip));
    });
    await expect(vault(s.url, { timeoutMs: 600 }).read('kv', 'app')).rejects.toThrow(`no complete answer from ${s.url} within 0.6 s`);
  });

  it('an endless Vault answer is abandoned at the default cap (64 MiB), not read to the end', { timeout: 60_000 }, async () => {
    const block = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const push = (): void => {
        while (!res.destroyed && res.write(block)) sent += block.length;
        if (!res.destroyed) res.once('drain', push);
      };
      push();
    });
    await expect(vault(s.url).read('kv', 'app')).rejects.toThrow(`vault: read kv/app: the answer from ${s.url} is larger than 64 MiB; stopped reading it`);
    expect(sent).toBeLessThan(200 * 1024 * 1024);
  });
});

describe('what a Vault answer must be', () => {
  it("an HTML login page (a proxy's) is not read as an empty secret", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body><form action="/login">Sign in</form></body></html>');
    });
    await expect(vault(s.url).read('kv', 'app')).rejects.toThrow(`vault: read kv/app: the answer from ${s.url} was not Vault's JSON (content-type text/html; charset=utf-8, HTTP 200)`);
  });

  it('a 400 echoing the values sent and read shows neither', async () => {
    const oldValue = 'Old-value-that-was-leaked-in-git';
    const newValue = 'brand-new-value-nobody-may-see';
    const s = await server((req, res, body) => {
      if (req.method === 'GET') return sendJson(res, 200, { data: { data: { API_KEY: oldValue }, metadata: { version: 1 } } });
      const sent = (JSON.parse(body) as { data: { API_KEY: string } }).data.API_KEY;
      sendJson(res, 400, { errors: [`invalid value for API_KEY: got ${sent}, current ${oldValue}`, 'x'.repeat(5000)] });
    });
    const client = vault(s.url);
    await client.read('kv', 'app');
    const err = (await client.patch('kv', 'app', { API_KEY: new Secret(newValue) }, 1).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('Rejected');
    expect(err.message).toContain('invalid value for API_KEY: got [REDACTED], current [REDACTED]');
    expect(err.message.length).toBeLessThan(600);
    for (const text of [err.message, String(err.cause), JSON.stringify(err)]) {
      expect(text).not.toContain(newValue.slice(0, 12));
      expect(text).not.toContain(oldValue.slice(0, 12));
    }
  });
});

describe('429 and 503', () => {
  it('a 429 with Retry-After is retried; a Retry-After beyond the bound is RateLimited at once', { timeout: 15_000 }, async () => {
    let calls = 0;
    const s = await server((req, res) => {
      calls++;
      if (req.url!.includes('/busy')) return sendJson(res, 429, { errors: ['rate limited'] }, { 'retry-after': '3600' });
      if (calls === 1) return sendJson(res, 429, { errors: ['rate limited'] }, { 'retry-after': '0' });
      sendJson(res, 200, kvAnswer);
    });
    expect((await vault(s.url).read('kv', 'app')).version).toBe(3);
    expect(calls).toBe(2);
    const started = Date.now();
    await expect(vault(s.url).read('kv', 'busy')).rejects.toMatchObject({ name: 'RateLimited', retryAfter: 3600 });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a 503 is retried for a read, never for a write (it may have landed)', async () => {
    const waits: number[] = [];
    const s = await server((_req, res) => sendJson(res, 503, { errors: ['Vault is sealed'] }));
    const client = vault(s.url, { sleep: async (ms) => void waits.push(ms) });
    await expect(client.read('kv', 'app')).rejects.toMatchObject({ name: 'Unavailable', status: 503 });
    expect(waits).toEqual([1000, 2000]);
    expect(s.seen).toHaveLength(3);
    await expect(client.patch('kv', 'app', { A: new Secret('x') }, 1)).rejects.toMatchObject({ name: 'Unavailable' });
    expect(s.seen.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });
});
