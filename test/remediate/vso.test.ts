// Vault Secrets Operator targets: VaultStaticSecret locate, the plan (no force-sync), apply and --restart of its consumers.
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadInfra } from '../../src/remediate/infra.js';
import { candidatesFromInfra, vaultStaticSecretsFor, vsoConsumersFromInfra } from '../../src/remediate/locate.js';
import { parseDuration } from '../../src/remediate/vso/duration.js';
import { FIXTURES, GITHUB_TOKEN, KUBE_TOKEN, MOUNT, REPO, VAULT_TOKEN, ISSUED, journalLines, leakedValue, runCli, startWorld, type World, incidentsDir } from './harness.js';

const PROCESSOR = 'xred-eln/processor/api-key';
const REPORTER = 'xred-eln/reporter/api-config';

let world: World;
beforeEach(async () => {
  world = await startWorld();
  cpSync(join(FIXTURES, 'vso'), join(world.dir, 'vso'), { recursive: true });
  const deployment = (name: string, podSpec: object) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'xred-eln' }, spec: { template: { metadata: {}, spec: podSpec } } });
  world.kube.add(deployment('processor', { containers: [{ name: 'p', image: 'x' }], volumes: [{ name: 's', projected: { sources: [{ secret: { name: 'api-key' } }] } }] }));
  world.kube.add(deployment('processor-cron', { containers: [{ name: 'c', image: 'x', env: [{ name: 'PROCESSOR_TOKEN', valueFrom: { secretKeyRef: { name: 'api-key', key: 'API_KEY' } } }] }] }));
  world.kube.add(deployment('reporter', { containers: [{ name: 'r', image: 'x', env: [{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'reporter-config', key: 'API_KEY' } } }] }] }));
  world.kube.add(deployment('reporter-ui', { containers: [{ name: 'u', image: 'x', envFrom: [{ secretRef: { name: 'reporter-config' } }] }] }));
});
afterEach(async () => {
  await world.close();
});

/** Puts the leaked value at `leakedAt` and another value at the other VSO path. */
function seed(leakedAt: string): void {
  for (const path of [PROCESSOR, REPORTER]) world.vault.put(MOUNT, path, { API_KEY: path === leakedAt ? leakedValue() : `other-${'v'.repeat(30)}`, REGION: 'eu' });
}

const args = (...more: string[]) => ['--report', join(world.dir, 'scan', 'report.json'), '--finding', '0', '--infra', join(world.dir, 'vso', 'infra'), ...more];

describe('VaultStaticSecret in the infra repository', () => {
  it('is read with its mount, path, destination, refreshAfter and rolloutRestartTargets; VaultAuth and VaultConnection are not secrets to rotate', async () => {
    const infra = await loadInfra(join(FIXTURES, 'vso', 'infra'));
    expect(infra.problems).toEqual([]);
    expect(infra.vaultStaticSecrets).toEqual([
      { name: 'processor-api-key', namespace: 'xred-eln', mount: 'apps-prod', path: PROCESSOR, type: 'kv-v2', destinationName: 'api-key', refreshAfter: '2s', rolloutRestartTargets: [], vaultAuthRef: 'xred-eln', vaultNamespace: 'minerva-prod/xred-eln', file: 'k8s/processor/vaultstaticsecret.yaml' },
      { name: 'reporter-config', namespace: 'xred-eln', mount: 'apps-prod', path: REPORTER, type: 'kv-v2', destinationName: 'reporter-config', refreshAfter: '1s', rolloutRestartTargets: [{ kind: 'Deployment', name: 'reporter' }], vaultAuthRef: 'xred-eln', vaultNamespace: 'minerva-prod/xred-eln', file: 'k8s/reporter/manifests.yaml' },
    ]);
    const candidates = candidatesFromInfra(infra, 'API_KEY');
    expect(candidates.map((c) => [`${c.mount}/${c.path}#${c.property}`, c.matchedNames, c.vaultStaticSecrets, c.vaultNamespace])).toEqual([
      [`${MOUNT}/${PROCESSOR}#API_KEY`, ['API_KEY'], ['xred-eln/processor-api-key'], 'minerva-prod/xred-eln'],
      [`${MOUNT}/${REPORTER}#API_KEY`, ['API_KEY'], ['xred-eln/reporter-config'], 'minerva-prod/xred-eln'],
    ]);
    expect(candidatesFromInfra(infra, 'PROCESSOR_TOKEN').map((c) => `${c.path}#${c.property}`)).toEqual([`${PROCESSOR}#API_KEY`]);
    const vss = vaultStaticSecretsFor(infra, { mount: MOUNT, path: REPORTER, property: 'API_KEY' });
    expect(vsoConsumersFromInfra(infra, vss).map((c) => [c.name, c.modes, c.vso])).toEqual([
      ['reporter', ['env'], 'restarts'],
      ['reporter-ui', ['envFrom'], 'manual'],
    ]);
  });

  it('Go durations as refreshAfter takes them', () => {
    expect([parseDuration('30s'), parseDuration('1m30s'), parseDuration('1h'), parseDuration('500ms'), parseDuration('soon')]).toEqual([30_000, 90_000, 3_600_000, 500, undefined]);
  });
});

describe('remediate a VSO target', () => {
  it('plan: Vault confirms the path; no force-sync; the file and env consumers are named and --restart is offered', async () => {
    seed(PROCESSOR);
    const r = await runCli(args(), world.env, world.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Vault: ${MOUNT}/${PROCESSOR}#API_KEY (namespace minerva-prod/xred-eln), confirmed`);
    expect(r.stdout).toContain('2. Sync: VaultStaticSecret xred-eln/processor-api-key copies the new version into Secret api-key on its own within refreshAfter (2s): no force-sync for VSO.');
    expect(r.stdout).not.toContain('force-sync=');
    expect(r.stdout).toContain('Restart offered (not done without --restart; no rolloutRestartTargets): Deployment xred-eln/processor (reads it via volume)');
    expect(r.stdout).toContain('kubectl rollout restart deployment/processor -n xred-eln');
    expect(r.stdout).toContain('Restart offered (not done without --restart; no rolloutRestartTargets): Deployment xred-eln/processor-cron (reads it via env PROCESSOR_TOKEN)');
    expect(r.stdout).toContain('- [ ] Restart the consumers that read it: Deployment xred-eln/processor, Deployment xred-eln/processor-cron.');
    expect(world.vault.patches).toBe(0);
  });

  it('plan: rolloutRestartTargets set: VSO restarts the reporter; the consumer it does not name is offered a restart', async () => {
    seed(REPORTER);
    const r = await runCli(args(), world.env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Vault: ${MOUNT}/${REPORTER}#API_KEY`);
    expect(r.stdout).toContain('then VSO rollout-restarts Deployment xred-eln/reporter (rolloutRestartTargets)');
    expect(r.stdout).toContain('No restart by spillway: Deployment xred-eln/reporter (reads it via env API_KEY); VSO restarts it after its sync (rolloutRestartTargets).');
    expect(r.stdout).toContain('Restart offered (not done without --restart; no rolloutRestartTargets): Deployment xred-eln/reporter-ui (reads it via envFrom)');
  });

  it('apply: rotates with cas, never touches an ExternalSecret, and journals no sync step; rollback leaves the sync to VSO too', async () => {
    seed(PROCESSOR);
    const r = await runCli(args(...ISSUED, '--apply', '--github', REPO), world.env, world.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const versions = world.vault.secrets.get(`${MOUNT}/${PROCESSOR}`)!;
    expect(versions).toHaveLength(2);
    expect(versions[1]!.data.API_KEY).not.toBe(leakedValue());
    expect(versions[1]!.data.REGION).toBe('eu');
    expect(world.vault.requests.find((q) => q.method === 'PATCH')!.namespace).toBe('minerva-prod/xred-eln');
    expect(world.kube.patches).toEqual([]);
    expect(r.stdout).toContain('  sync: VaultStaticSecret xred-eln/processor-api-key copies the new version into Secret api-key on its own within refreshAfter (2s): no force-sync for VSO');
    const id = r.stdout.match(/Incident (inc-[0-9a-f]{12})/)![1]!;
    expect(journalLines(world.dir, id).filter((e) => e.event === 'done').map((e) => e.step)).toEqual(['plan', 'rotate', 'issue', 'complete']);
    expect(world.github.issues[0]!.body).toContain('Restart the consumers that read it: Deployment xred-eln/processor, Deployment xred-eln/processor-cron.');

    const back = await runCli(['--rollback', id], world.env, world.dir);
    expect(back.code).toBe(0);
    expect(world.vault.current(MOUNT, PROCESSOR)!.API_KEY).toBe(leakedValue());
    expect(back.stdout).toContain('rollback-sync: VaultStaticSecret xred-eln/processor-api-key copies the new version into Secret api-key on its own');
    expect(world.kube.patches).toEqual([]);
  });

  it('apply --restart: waits out refreshAfter after the rotation, then restarts the file and env consumers', async () => {
    seed(PROCESSOR);
    let rotatedAt = 0;
    world.vault.afterPatchWrite = async () => {
      rotatedAt = Date.now();
    };
    const r = await runCli(args(...ISSUED, '--apply', '--restart'), world.env, world.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/restart: waiting \ds for VSO's refreshAfter/);
    const restarts = world.kube.patches.filter((p) => p.kind === 'Deployment');
    expect(restarts.map((p) => p.name)).toEqual(['processor', 'processor-cron']);
    const at = Date.parse(world.kube.get('Deployment', 'xred-eln', 'processor')!.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']);
    expect(at - rotatedAt).toBeGreaterThanOrEqual(2000);
    expect(world.kube.patches.filter((p) => p.kind === 'ExternalSecret')).toEqual([]);
  });

  it('apply --restart with rolloutRestartTargets: only the consumer VSO does not restart is restarted, without waiting long', async () => {
    seed(REPORTER);
    const r = await runCli(args(...ISSUED, '--apply', '--restart'), world.env, world.dir);
    expect(r.code).toBe(0);
    expect(world.kube.patches.map((p) => `${p.kind}/${p.name}`)).toEqual(['Deployment/reporter-ui']);
  });

  it('secrecy: plan, apply --value-stdin --restart and the issue never show the leaked or the new value, nor a token', async () => {
    seed(PROCESSOR);
    const fresh = `Vs${'7'.repeat(12)}new${'Q'.repeat(23)}`;
    const plan = await runCli(args(), world.env, world.dir);
    const applied = await runCli(args('--apply', '--restart', '--value-stdin', '--github', REPO), world.env, world.dir, Readable.from([`${fresh}\n`]));
    expect(applied.code).toBe(0);
    expect(world.vault.current(MOUNT, PROCESSOR)!.API_KEY).toBe(fresh);
    const folder = incidentsDir(world.dir);
    const journal = readdirSync(folder).map((f) => readFileSync(join(folder, f), 'utf8')).join('\n');
    const issue = world.github.issues[0]!;
    expect(issue.body).toContain('VaultStaticSecret xred-eln/processor-api-key copies the new version into Secret api-key on its own');
    const texts = [plan.stdout, plan.stderr, applied.stdout, applied.stderr, journal, issue.title, issue.body, JSON.stringify([...world.kube.objects.values()])];
    for (const value of [leakedValue(), fresh, VAULT_TOKEN, GITHUB_TOKEN, KUBE_TOKEN]) {
      for (const form of [value, Buffer.from(value).toString('base64'), encodeURIComponent(value), Buffer.from(value).toString('hex')]) {
        for (const text of texts) expect(text.includes(form)).toBe(false);
      }
    }
  });
});
