// Restarts wait for ESO to report the new value synced (status and the target Secret), and for the --gitops commit to be synced.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ISSUED, findingArgs, journalLines, runCli, startWorld, type World, incidentsDir } from './harness.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const deploymentPatches = () => world.kube.patches.filter((p) => p.kind === 'Deployment');
const incident = () => readdirSync(incidentsDir(world.dir))[0]!.replace(/\.jsonl$/, '');
const es = () => world.kube.get('ExternalSecret', 'xred-eln', 'demo-app-secret')!;

describe('--restart waits for ESO', () => {
  it('restarts only once ESO reports the new value synced and the target Secret is rewritten', async () => {
    world.kube.eso = 'stall';
    const secretBefore = world.kube.get('Secret', 'xred-eln', 'demo-app-secret')!.metadata.resourceVersion;
    const seen: { refreshTime?: string; secret: string }[] = [];
    world.kube.onPatch = (p) => {
      if (p.kind === 'ExternalSecret') setTimeout(() => world.kube.syncNow('xred-eln', 'demo-app-secret'), 1500);
      if (p.kind === 'Deployment') seen.push({ refreshTime: es().status?.refreshTime, secret: world.kube.get('Secret', 'xred-eln', 'demo-app-secret')!.metadata.resourceVersion });
    };
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart', '--sync-timeout', '20'), world.env, world.dir);
    expect(r.stderr).not.toContain('remediate:');
    expect(r.code).toBe(0);
    expect(seen).toHaveLength(2);
    const forceSync = Number(es().metadata.annotations['force-sync']);
    for (const s of seen) {
      expect(Date.parse(s.refreshTime!)).toBeGreaterThanOrEqual(forceSync * 1000);
      expect(s.secret).not.toBe(secretBefore);
    }
    expect(r.stdout).toContain('synced:xred-eln/demo-app-secret: ESO synced the new value into Secret xred-eln/demo-app-secret');
    expect(world.kube.secretAccepts.length).toBeGreaterThan(0);
    expect(world.kube.secretAccepts.every((a) => a.includes('as=PartialObjectMetadata'))).toBe(true);
  });

  it('a sync that never comes: a bounded wait, a clear message, no restart; the re-run restarts once ESO has synced', async () => {
    world.kube.eso = 'stall';
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart', '--sync-timeout', '1'), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('eso: ExternalSecret xred-eln/demo-app-secret has not synced the new value within 1s: no Ready condition, refreshTime unset');
    expect(r.stderr).toContain('target Secret not rewritten yet (same resourceVersion)');
    expect(r.stderr).toContain('Not restarting (the pods would start on the old value)');
    expect(r.stderr).toContain('kubectl describe externalsecret demo-app-secret -n xred-eln');
    expect(deploymentPatches()).toHaveLength(0);
    expect(world.vault.patches).toBe(1);
    world.kube.syncNow('xred-eln', 'demo-app-secret');
    const again = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart', '--sync-timeout', '1'), world.env, world.dir);
    expect(again.code).toBe(0);
    expect(deploymentPatches().map((p) => p.name).sort()).toEqual(['demo-backend', 'demo-cron']);
    expect(world.vault.patches).toBe(1);
  });

  it('judges the sync by the cluster\'s clock and versions: a cluster clock 10 minutes behind ours still counts', async () => {
    world.kube.clockSkewMs = 10 * 60_000;
    world.kube.syncNow('xred-eln', 'demo-app-secret');
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart', '--sync-timeout', '3'), world.env, world.dir);
    expect(r.stderr).not.toContain('remediate:');
    expect(r.code).toBe(0);
    expect(deploymentPatches()).toHaveLength(2);
  });

  it('ESO reporting an error is named in the message', async () => {
    world.kube.eso = 'error';
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart', '--sync-timeout', '1'), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Ready=False (SecretSyncedError: could not get secret data from provider)');
    expect(deploymentPatches()).toHaveLength(0);
  });
});

describe('--gitops --restart', () => {
  it('does not restart before the commit is synced; says what to run; the run after ArgoCD synced restarts', async () => {
    const argv = findingArgs(world, ...ISSUED, '--apply', '--gitops', '--restart', '--sync-timeout', '5');
    const first = await runCli(argv, world.env, world.dir);
    expect(first.code).toBe(0);
    expect(deploymentPatches()).toHaveLength(0);
    expect(first.stdout).toContain('does not carry force-sync=');
    expect(first.stdout).toContain('after ArgoCD has synced the commit, run this same command again: it waits until ESO reports the new value synced, then restarts Deployment xred-eln/demo-backend, Deployment xred-eln/demo-cron');
    expect(first.stdout).toContain('kubectl rollout restart deployment/demo-backend -n xred-eln; kubectl rollout restart deployment/demo-cron -n xred-eln');
    expect(first.stdout).toContain('Done for now: the restarts wait for the --gitops commit to be synced');
    expect(journalLines(world.dir, incident()).some((e) => e.step === 'complete')).toBe(false);

    const manifest = readFileSync(join(world.dir, 'infra', 'k8s', 'demo', 'externalsecret-app.yaml'), 'utf8');
    const forceSync = /force-sync: "(\d+)"/.exec(manifest)![1]!;
    world.kube.applyAnnotations('xred-eln', 'demo-app-secret', { 'force-sync': forceSync });
    const second = await runCli(argv, world.env, world.dir);
    expect(second.code).toBe(0);
    expect(deploymentPatches().map((p) => p.name).sort()).toEqual(['demo-backend', 'demo-cron']);
    expect(journalLines(world.dir, incident()).filter((e) => e.event === 'done').map((e) => e.step)).toContain('complete');
    expect(world.vault.patches).toBe(1);
  });
});
