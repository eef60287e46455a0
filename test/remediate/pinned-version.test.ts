// An ExternalSecret that pins remoteRef.version never sees a rotation: the plan says so and --apply refuses.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInfra } from '../../src/remediate/infra.js';
import { externalSecretsFor, pinnedVersion } from '../../src/remediate/locate.js';
import { DEMO_PATH, FIXTURES, ISSUED, MOUNT, findingArgs, runCli, startWorld, type World } from './harness.js';

/** Adds `version: "<v>"` under the remoteRef (or extract) whose key line is `keyLine`. */
function pin(file: string, keyLine: string, version: string): void {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(keyLine);
  expect(at, `${keyLine} in ${file}`).toBeGreaterThan(-1);
  const indent = /^ */.exec(text.slice(text.lastIndexOf('\n', at) + 1))![0];
  const end = text.indexOf('\n', at) + 1;
  writeFileSync(file, `${text.slice(0, end)}${indent}version: "${version}"\n${text.slice(end)}`);
}

describe('a Vault target read through a pinned ExternalSecret', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
    pin(join(world.dir, 'infra/k8s/demo/externalsecret-app.yaml'), 'property: API_KEY', '1');
  });
  afterEach(async () => {
    await world.close();
  });

  it('the plan names the pin and what to do instead of a force-sync', async () => {
    const r = await runCli(findingArgs(world, ...ISSUED), world.env, world.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Unpin first: ExternalSecret xred-eln\/demo-app-secret \(k8s\/demo\/externalsecret-app\.yaml\) pins remoteRef\.version 1/);
    expect(r.stdout).not.toMatch(/annotate ExternalSecret xred-eln\/demo-app-secret/);
  });

  it('--apply refuses before any change, naming the ExternalSecret and its manifest', async () => {
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('xred-eln/demo-app-secret (k8s/demo/externalsecret-app.yaml) pins remoteRef.version 1');
    expect(world.vault.patches).toBe(0);
    expect(world.kube.patches.length).toBe(0);
  });
});

describe('pinnedVersion', () => {
  it('reads remoteRef.version and dataFrom extract.version; for AWS, the AWSCURRENT stage is no pin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spillway-pinned-'));
    cpSync(join(FIXTURES, 'aws/infra'), dir, { recursive: true });
    const manifest = join(dir, 'k8s/shop/externalsecret.yaml');
    pin(manifest, 'property: API_KEY', 'AWSCURRENT');
    pin(manifest, 'property: DB_PASSWORD', 'uuid/0b0e7c6a-0000-4000-8000-000000000001');
    const infra = await loadInfra(dir);
    const target = (property: string) => ({ kind: 'aws-sm' as const, region: 'eu-west-1', secretId: 'prod/shop/api', property });
    const [es] = externalSecretsFor(infra, target('API_KEY'));
    expect(es?.name).toBe('app-api');
    expect(pinnedVersion(infra, es!, target('API_KEY'))).toBeUndefined();
    expect(pinnedVersion(infra, es!, target('DB_PASSWORD'))).toBe('uuid/0b0e7c6a-0000-4000-8000-000000000001');

    const vaultDir = mkdtempSync(join(tmpdir(), 'spillway-pinned-'));
    cpSync(join(FIXTURES, 'infra'), vaultDir, { recursive: true });
    writeFileSync(
      join(vaultDir, 'k8s/demo/extract.yaml'),
      'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: demo-all\n  namespace: xred-eln\nspec:\n  secretStoreRef:\n    name: ss-xred-eln\n    kind: SecretStore\n  target:\n    name: demo-all\n  dataFrom:\n  - extract:\n      key: xred-eln/demo/api-config\n      version: "3"\n',
    );
    const vaultInfra = await loadInfra(vaultDir);
    const vaultTarget = { kind: 'vault-kv2' as const, mount: MOUNT, path: DEMO_PATH, property: 'API_KEY' };
    const pins = externalSecretsFor(vaultInfra, vaultTarget).map((e) => [e.name, pinnedVersion(vaultInfra, e, vaultTarget)]);
    expect(pins).toEqual([['demo-app-secret', undefined], ['demo-all', '3']]);
  });
});
