// --rollback restarts the consumers once ESO has synced the old value back, and says so on the incident issue.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PATH, ISSUED, MOUNT, findingArgs, journalLines, leakedValue, runCli, startWorld, type World, incidentsDir } from './harness.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const incident = () => readdirSync(incidentsDir(world.dir))[0]!.replace(/\.jsonl$/, '');
const restarts = () => world.kube.patches.filter((p) => p.kind === 'Deployment').map((p) => p.name).sort();
const es = () => world.kube.get('ExternalSecret', 'xred-eln', 'demo-app-secret')!;

describe('--rollback', () => {
  it('restarts the consumers after ESO synced the old value back and comments on the incident issue, once', async () => {
    expect((await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart'), world.env, world.dir)).code).toBe(0);
    expect(restarts()).toEqual(['demo-backend', 'demo-cron']);
    world.kube.eso = 'stall';
    const seen: (string | undefined)[] = [];
    world.kube.onPatch = (p) => {
      if (p.kind === 'ExternalSecret') setTimeout(() => world.kube.syncNow('xred-eln', 'demo-app-secret'), 1200);
      if (p.kind === 'Deployment') seen.push(es().status?.refreshTime);
    };
    const r = await runCli(['--rollback', incident()], world.env, world.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(leakedValue());
    expect(restarts()).toEqual(['demo-backend', 'demo-backend', 'demo-cron', 'demo-cron']);
    const forceSync = Number(es().metadata.annotations['force-sync']);
    expect(seen).toHaveLength(2);
    for (const t of seen) expect(Date.parse(t!)).toBeGreaterThanOrEqual(forceSync * 1000);
    const steps = journalLines(world.dir, incident()).filter((e) => e.event === 'done').map((e) => e.step);
    expect(steps.slice(steps.indexOf('complete') + 1)).toEqual([
      'rollback-secrets-before', 'rollback', 'rollback-sync:xred-eln/demo-app-secret', 'rollback-synced:xred-eln/demo-app-secret',
      'rollback-restart:xred-eln/demo-backend', 'rollback-restart:xred-eln/demo-cron', 'rollback-issue',
    ]);

    const comments = world.github.issues[0]!.comments;
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body).toContain(`<!-- spillway-rollback: ${incident()} -->`);
    expect(body).toContain(`wrote version 1's value of \`${MOUNT}/${DEMO_PATH}#API_KEY\` back as version 3 (check-and-set)`);
    expect(body).toContain('ESO synced ExternalSecret `xred-eln/demo-app-secret`');
    expect(body).toContain('rollout restart of Deployment `xred-eln/demo-backend`');
    expect(body).toContain('Vault holds the leaked value again');
    expect(body).not.toContain(leakedValue());
    expect(r.stdout).toContain('rollback-issue: commented on #1');

    const again = await runCli(['--rollback', incident()], world.env, world.dir);
    expect(again.code).toBe(0);
    expect(world.github.issues[0]!.comments).toHaveLength(1);
    expect(restarts()).toHaveLength(4);
    expect(world.vault.patches).toBe(2);
  });

  it('without --restart nothing is restarted and the comment says which consumers keep their value', async () => {
    expect((await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir)).code).toBe(0);
    const r = await runCli(['--rollback', incident()], world.env, world.dir);
    expect(r.code).toBe(0);
    expect(restarts()).toEqual([]);
    const body = world.github.issues[0]!.comments[0]!.body;
    expect(body).toContain('Not restarted: Deployment `xred-eln/demo-backend`');
    expect(body).toContain('Not restarted: Deployment `xred-eln/demo-cron`');
  });

  it('--rollback --restart restarts even when the apply did not, and waits for the sync the same way', async () => {
    expect((await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir)).code).toBe(0);
    world.kube.eso = 'stall';
    const r = await runCli(['--rollback', incident(), '--restart', '--sync-timeout', '1'], world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has not synced the rolled-back value within 1s');
    expect(restarts()).toEqual([]);
    world.kube.syncNow('xred-eln', 'demo-app-secret');
    const again = await runCli(['--rollback', incident(), '--restart'], world.env, world.dir);
    expect(again.code).toBe(0);
    expect(restarts()).toEqual(['demo-backend', 'demo-cron']);
    expect(world.vault.patches).toBe(2);
  });
});
