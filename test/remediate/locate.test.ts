// Reading the infra repo and matching a finding to Vault paths: names first, Vault values to confirm.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInfra, type Infra } from '../../src/remediate/infra.js';
import { candidatesFromInfra, consumersFromInfra, externalSecretsFor, locateTarget, normalizeName, pathInMount } from '../../src/remediate/locate.js';
import { parseVaultPath } from '../../src/remediate/target.js';
import { VaultClient } from '../../src/remediate/vault/client.js';
import { Secret } from '../../src/secret.js';
import { startVault, type FakeVault } from './servers/vault-server.js';
import { DEMO_PATH, FIXTURES, MOUNT, NAMESPACE, OTHER_PATH, VAULT_TOKEN, leakedValue } from './harness.js';

let infra: Infra;
let vault: FakeVault;
let client: VaultClient;
beforeAll(async () => {
  infra = await loadInfra(join(FIXTURES, 'infra'));
  vault = await startVault({ token: VAULT_TOKEN, namespace: NAMESPACE, mounts: [MOUNT] });
  client = new VaultClient({ address: vault.url, token: new Secret(VAULT_TOKEN), namespace: NAMESPACE });
});
afterAll(() => vault.close());

describe('loadInfra', () => {
  it('finds the SecretStore, both ExternalSecrets, the workloads, and names the broken file', () => {
    expect(infra.stores).toEqual([
      { kind: 'SecretStore', name: 'ss-xred-eln', namespace: 'xred-eln', mount: 'apps-prod', kvVersion: 'v2', vaultNamespace: 'minerva-prod/xred-eln', file: 'platform/secretstore.yaml' },
    ]);
    expect(infra.externalSecrets.map((e) => [e.name, e.namespace, e.targetName, e.apiVersion, e.refs.length])).toEqual([
      ['demo-app-secret', 'xred-eln', 'demo-app-secret', 'external-secrets.io/v1beta1', 2],
      ['other-app-secret', 'xred-eln', 'other-app-secret', 'external-secrets.io/v1', 1],
    ]);
    expect(infra.workloads.map((w) => w.name)).toEqual(['demo-backend', 'demo-worker', 'other-api']);
    expect(infra.problems).toHaveLength(1);
    expect(infra.problems[0]).toMatch(/^platform\/broken\.yaml: document 1 is not valid YAML/);
  });
});

describe('locating', () => {
  it('matches the identifier against properties, secret keys and env names (dataFrom.extract included)', () => {
    const candidates = candidatesFromInfra(infra, 'API_KEY');
    expect(candidates.map((c) => `${c.mount}/${c.path}#${c.property}`)).toEqual([`${MOUNT}/${DEMO_PATH}#API_KEY`, `${MOUNT}/${OTHER_PATH}#API_KEY`]);
    expect(candidates[1]!.externalSecrets).toEqual(['xred-eln/other-app-secret']);
  });

  it('without an identifier every reference is a candidate', () => {
    expect(candidatesFromInfra(infra, undefined)).toHaveLength(3);
  });

  it('Vault decides by comparing values in memory', async () => {
    vault.put(MOUNT, DEMO_PATH, { API_KEY: leakedValue(), DB_PASSWORD: 'x' });
    vault.put(MOUNT, OTHER_PATH, { API_KEY: 'other', TIMEOUT: '30' });
    const result = await locateTarget(candidatesFromInfra(infra, 'API_KEY'), new Secret(leakedValue()), client);
    expect(result).toMatchObject({ kind: 'found', confirmed: true, target: { mount: MOUNT, path: DEMO_PATH, property: 'API_KEY' }, vaultNamespace: NAMESPACE });
    const none = await locateTarget(candidatesFromInfra(infra, 'API_KEY'), new Secret('not-there'), client);
    expect(none).toMatchObject({ kind: 'ambiguous', reason: expect.stringContaining('not the current value at any candidate') });
  });

  it('finds the property of a dataFrom.extract path by value when there is no identifier', async () => {
    vault.put(MOUNT, OTHER_PATH, { API_KEY: 'other', TIMEOUT: 'leaked-timeout-value' });
    const result = await locateTarget(candidatesFromInfra(infra, undefined), new Secret('leaked-timeout-value'), client);
    expect(result).toMatchObject({ kind: 'found', target: { path: OTHER_PATH, property: 'TIMEOUT' } });
  });

  it('ExternalSecrets and consumers of a target', () => {
    const target = { mount: MOUNT, path: DEMO_PATH, property: 'DB_PASSWORD' };
    const es = externalSecretsFor(infra, target);
    expect(es.map((e) => e.name)).toEqual(['demo-app-secret']);
    expect(consumersFromInfra(infra, es)).toEqual([
      { kind: 'Deployment', namespace: 'xred-eln', name: 'demo-backend', modes: ['env'], envNames: ['API_KEY'], file: 'k8s/demo/deployment-backend.yaml' },
      { kind: 'Deployment', namespace: 'xred-eln', name: 'demo-worker', modes: ['volume'], envNames: [], file: 'k8s/demo/deployment-backend.yaml' },
    ]);
    expect(externalSecretsFor(infra, { mount: 'apps-uat', path: DEMO_PATH, property: 'API_KEY' })).toEqual([]);
    expect(externalSecretsFor(infra, { mount: MOUNT, path: OTHER_PATH, property: 'ANYTHING' }).map((e) => e.name)).toEqual(['other-app-secret']);
  });

  it('names and paths normalise as ESO and people write them', () => {
    expect(normalizeName('api-key')).toBe(normalizeName('API_KEY'));
    expect(pathInMount('apps-prod/xred-eln/demo/api-config', 'apps-prod')).toBe('xred-eln/demo/api-config');
    expect(pathInMount('/xred-eln/demo/api-config', 'apps-prod')).toBe('xred-eln/demo/api-config');
    expect(parseVaultPath('apps-prod/data/team/app/db', 'password')).toEqual({ mount: 'apps-prod', path: 'team/app/db', property: 'password' });
    expect(() => parseVaultPath('apps-prod', 'p')).toThrow('--vault-path: expected MOUNT/PATH');
    expect(() => parseVaultPath('a/b', undefined)).toThrow('--property: required with --vault-path');
  });
});
