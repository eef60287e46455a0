// A remediation killed (SIGKILL) at a step boundary resumes from its journal: nothing lost, nothing done twice.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEMO_PATH, MOUNT, findingArgs, journalLines, leakedValue, runCli, spawnCli, startWorld, type World } from './harness.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

function steps(): string[] {
  const id = readdirSync(join(world.dir, '.spillway', 'incidents'))[0]!.replace(/\.jsonl$/, '');
  return journalLines(world.dir, id).map((e) => `${e.step}:${e.event}`);
}

it('killed after Vault wrote the new value but before the journal recorded it: the re-run detects the write', async () => {
  const run = spawnCli(findingArgs(world, '--apply'), world.env, world.dir);
  world.vault.afterPatchWrite = () => {
    world.vault.afterPatchWrite = undefined;
    run.kill();
    return new Promise((resolve) => setTimeout(resolve, 200));
  };
  const killed = await run.done;
  expect(killed.signal).toBe('SIGKILL');
  expect(steps()).toEqual(['plan:done', 'rotate:intent']);
  const rotated = world.vault.current(MOUNT, DEMO_PATH)!.API_KEY;
  expect(rotated).not.toBe(leakedValue());

  const resumed = await runCli(findingArgs(world, '--apply'), world.env, world.dir);
  expect(resumed.code).toBe(0);
  expect(world.vault.patches).toBe(1);
  expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(rotated);
  expect(world.kube.patches.filter((p) => p.kind === 'ExternalSecret')).toHaveLength(1);
  expect(world.github.issues).toHaveLength(1);
  expect(steps().filter((s) => s.endsWith(':done'))).toEqual(['plan:done', 'rotate:done', 'sync:xred-eln/demo-app-secret:done', 'issue:done', 'complete:done']);
});

it('killed after the sync, before the issue: the re-run only opens the issue', async () => {
  const run = spawnCli(findingArgs(world, '--apply'), world.env, world.dir);
  world.github.beforeList = () => {
    world.github.beforeList = undefined;
    run.kill();
    return new Promise((resolve) => setTimeout(resolve, 200));
  };
  const killed = await run.done;
  expect(killed.signal).toBe('SIGKILL');
  expect(steps()).toEqual(['plan:done', 'rotate:intent', 'rotate:done', 'sync:xred-eln/demo-app-secret:done']);

  const result = await runCli(findingArgs(world, '--apply'), world.env, world.dir);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('rotate: already done (version 1 -> 2)');
  expect(world.vault.patches).toBe(1);
  expect(world.kube.patches.filter((p) => p.kind === 'ExternalSecret')).toHaveLength(1);
  expect(world.github.issues).toHaveLength(1);
});

it('killed after creating the issue, before journaling it: the re-run finds that issue instead of opening another', async () => {
  const run = spawnCli(findingArgs(world, '--apply'), world.env, world.dir);
  world.github.afterCreate = () => {
    world.github.afterCreate = undefined;
    run.kill();
    return new Promise((resolve) => setTimeout(resolve, 200));
  };
  expect((await run.done).signal).toBe('SIGKILL');
  expect(steps()).not.toContain('issue:done');
  expect(world.github.issues).toHaveLength(1);
  const resumed = await runCli(findingArgs(world, '--apply'), world.env, world.dir);
  expect(resumed.code).toBe(0);
  expect(resumed.stdout).toContain('issue: found the one opened before #1');
  expect(world.github.issues).toHaveLength(1);
  expect(world.vault.patches).toBe(1);
});
