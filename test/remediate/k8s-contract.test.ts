// The Kubernetes contract (ExternalSecrets and Deployments): local API server always, a real cluster when KUBECONFIG is set.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { Conflict, NotFound, Unauthorized } from '../../src/remediate/errors.js';
import { KubeCluster, loadKubeConfig } from '../../src/remediate/k8s/client.js';
import { startKube, type FakeKube } from './servers/k8s-server.js';
import { KUBE_TOKEN } from './harness.js';

const ES = { group: 'external-secrets.io', version: 'v1beta1', plural: 'externalsecrets' };

interface ClusterTarget {
  env: Record<string, string | undefined>;
  namespace: string;
  cleanup(): Promise<void>;
}

function externalSecret(name: string, namespace: string) {
  return {
    apiVersion: 'external-secrets.io/v1beta1',
    kind: 'ExternalSecret',
    metadata: { name, namespace, annotations: { keep: 'me' } },
    spec: { refreshInterval: '1h', secretStoreRef: { name: 'spillway-contract', kind: 'SecretStore' }, target: { name: `${name}-target` }, data: [{ secretKey: 'K', remoteRef: { key: 'spillway/contract', property: 'K' } }] },
  };
}

function deployment(name: string, namespace: string, secret: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: secret, key: 'K' } } }] }] } },
    },
  };
}

function contract(setup: () => Promise<ClusterTarget>): void {
  let t: ClusterTarget;
  let cluster: KubeCluster;
  beforeAll(async () => {
    t = await setup();
    cluster = new KubeCluster(loadKubeConfig(t.env));
  });
  afterAll(async () => t?.cleanup());

  it('reads an ExternalSecret with its resourceVersion', async () => {
    const es = await cluster.getExternalSecret({ namespace: t.namespace, name: 'spillway-contract' });
    expect(es.resourceVersion).toMatch(/^\d+$/);
    expect(es.annotations.keep).toBe('me');
  });

  it('annotates force-sync with a merge patch, keeping other annotations', async () => {
    const before = await cluster.getExternalSecret({ namespace: t.namespace, name: 'spillway-contract' });
    const rv = await cluster.annotateExternalSecret({ namespace: t.namespace, name: 'spillway-contract', apiVersion: 'external-secrets.io/v1beta1' }, { 'force-sync': '1700000000' });
    expect(rv).not.toBe(before.resourceVersion);
    const after = await cluster.getExternalSecret({ namespace: t.namespace, name: 'spillway-contract' });
    expect(after.annotations).toMatchObject({ keep: 'me', 'force-sync': '1700000000' });
  });

  it('a missing ExternalSecret is NotFound', async () => {
    await expect(cluster.getExternalSecret({ namespace: t.namespace, name: 'spillway-missing' })).rejects.toBeInstanceOf(NotFound);
    await expect(cluster.annotateExternalSecret({ namespace: t.namespace, name: 'spillway-missing' }, { 'force-sync': '1' })).rejects.toBeInstanceOf(NotFound);
  });

  it('finds the Deployments reading the target secret and restarts one', async () => {
    const consumers = await cluster.findConsumers(t.namespace, 'spillway-contract-target');
    expect(consumers.map((c) => [c.name, c.modes, c.envNames])).toEqual([['spillway-contract-app', ['env'], ['K']]]);
    await cluster.restartDeployment(t.namespace, 'spillway-contract-app', '2026-01-01T00:00:00Z');
    const apps = loadKubeConfig(t.env).makeApiClient(AppsV1Api);
    const d = await apps.readNamespacedDeployment({ namespace: t.namespace, name: 'spillway-contract-app' });
    expect(d.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe('2026-01-01T00:00:00Z');
  });
}

describe('Kubernetes contract: local API server', () => {
  let fake: FakeKube;
  let dir: string;
  contract(async () => {
    fake = await startKube(KUBE_TOKEN);
    fake.add(externalSecret('spillway-contract', 'ns1'));
    fake.add(deployment('spillway-contract-app', 'ns1', 'spillway-contract-target'));
    fake.add(deployment('unrelated', 'ns1', 'another-secret'));
    dir = mkdtempSync(join(tmpdir(), 'spillway-kube-'));
    writeFileSync(join(dir, 'config'), fake.kubeconfig());
    return { env: { KUBECONFIG: join(dir, 'config') }, namespace: 'ns1', cleanup: async () => { await fake.close(); rmSync(dir, { recursive: true, force: true }); } };
  });

  it('sent every PATCH as application/merge-patch+json with the resourceVersion read', () => {
    const esPatch = fake.patches.find((p) => p.kind === 'ExternalSecret')!;
    expect(esPatch.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(esPatch.body.metadata.annotations).toEqual({ 'force-sync': '1700000000' });
  });

  it('retries one 409 with a fresh read; persistent 409s are a Conflict', async () => {
    const cluster = new KubeCluster(loadKubeConfig({ KUBECONFIG: join(dir, 'config') }));
    fake.conflicts = 1;
    await cluster.annotateExternalSecret({ namespace: 'ns1', name: 'spillway-contract' }, { 'force-sync': '2' });
    fake.conflicts = 5;
    await expect(cluster.annotateExternalSecret({ namespace: 'ns1', name: 'spillway-contract' }, { 'force-sync': '3' })).rejects.toBeInstanceOf(Conflict);
    fake.conflicts = 0;
  });

  it('falls back to the other external-secrets.io version when the manifest\'s is not served', async () => {
    const cluster = new KubeCluster(loadKubeConfig({ KUBECONFIG: join(dir, 'config') }));
    fake.served = ['v1'];
    try {
      await cluster.annotateExternalSecret({ namespace: 'ns1', name: 'spillway-contract', apiVersion: 'external-secrets.io/v1beta1' }, { 'force-sync': '4' });
      expect(fake.get('ExternalSecret', 'ns1', 'spillway-contract')!.metadata.annotations['force-sync']).toBe('4');
      fake.served = [];
      await expect(cluster.getExternalSecret({ namespace: 'ns1', name: 'spillway-contract' })).rejects.toBeInstanceOf(NotFound);
    } finally {
      fake.served = ['v1beta1', 'v1'];
    }
  });

  it('a rejected token is Unauthorized; a missing context is named', async () => {
    writeFileSync(join(dir, 'bad'), fake.kubeconfig().replace(KUBE_TOKEN, 'wrong'));
    const bad = new KubeCluster(loadKubeConfig({ KUBECONFIG: join(dir, 'bad') }));
    await expect(bad.getExternalSecret({ namespace: 'ns1', name: 'spillway-contract' })).rejects.toBeInstanceOf(Unauthorized);
    expect(() => loadKubeConfig({ KUBECONFIG: join(dir, 'config') }, 'prod')).toThrow('kubernetes: no context "prod" in the kubeconfig');
  });
});

const realCluster = process.env.KUBECONFIG && process.env.SPILLWAY_TEST_K8S_NAMESPACE;
describe.skipIf(!realCluster)(
  `Kubernetes contract: real cluster from KUBECONFIG${realCluster ? '' : ' — SKIPPED: set KUBECONFIG and SPILLWAY_TEST_K8S_NAMESPACE (a scratch namespace on a cluster with the External Secrets CRDs)'}`,
  () => {
    contract(async () => {
      const env = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
      const namespace = process.env.SPILLWAY_TEST_K8S_NAMESPACE!;
      const kc = loadKubeConfig(env);
      const custom = kc.makeApiClient(CustomObjectsApi);
      const apps = kc.makeApiClient(AppsV1Api);
      await custom.createNamespacedCustomObject({ ...ES, namespace, body: externalSecret('spillway-contract', namespace) });
      await apps.createNamespacedDeployment({ namespace, body: deployment('spillway-contract-app', namespace, 'spillway-contract-target') });
      return {
        env,
        namespace,
        async cleanup() {
          await custom.deleteNamespacedCustomObject({ ...ES, namespace, name: 'spillway-contract' }).catch(() => undefined);
          await apps.deleteNamespacedDeployment({ namespace, name: 'spillway-contract-app' }).catch(() => undefined);
        },
      };
    });
  },
);
