// A remediation's output, journal (0600) and incident issue hold neither the leaked nor the new value, nor a
// token, not even 16 characters of one; the scanned files and manifests are left as they were.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEMO_PATH, GITHUB_TOKEN, ISSUED, KUBE_TOKEN, MOUNT, VAULT_TOKEN, findingArgs, leakedValue, runCli, startWorld, type World, incidentsDir } from '../remediate/harness.js';
import { drawSecret, KINDS, piecesIn } from './fake-secrets.js';
import { leaksIn, listTree, modeOf } from './leak-check.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

it('plan and apply (rotate, sync, restart, issue) write no value or token anywhere', { timeout: 60_000 }, async () => {
  // Three more secrets, drawn at random, on the leaked value's own line: none of them may be shown either.
  const sameLine = KINDS.slice(2, 5).map(drawSecret);
  const envFile = join(world.dir, 'scan', '.env');
  const lines = readFileSync(envFile, 'utf8').split('\n');
  lines[1] = [lines[1], ...sameLine.map((d) => d.kind.assign(d.value))].join(' ');
  writeFileSync(envFile, lines.join('\n'));
  const scanned = listTree(join(world.dir, 'scan'));
  const plan = await runCli(findingArgs(world), world.env, world.dir);
  expect(plan.code, plan.stderr).toBe(0);
  const apply = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart'), world.env, world.dir);
  expect(apply.code, apply.stderr).toBe(0);
  const rotated = String(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY);
  expect(rotated).not.toBe(leakedValue());
  const folder = incidentsDir(world.dir);
  const [file] = readdirSync(folder);
  expect(modeOf(join(folder, file!))).toBe(0o600);
  expect(statSync(folder).isDirectory()).toBe(true);
  const issue = world.github.issues[0]!;
  const written = {
    'plan output': plan.stdout + plan.stderr,
    'apply output': apply.stdout + apply.stderr,
    journal: readFileSync(join(folder, file!), 'utf8'),
    issue: `${issue.title}\n${issue.body}`,
    'cluster objects': JSON.stringify([...world.kube.objects.values()]),
  };
  for (const [name, text] of Object.entries(written)) {
    expect(leaksIn(text, [leakedValue(), rotated, VAULT_TOKEN, KUBE_TOKEN, GITHUB_TOKEN]), name).toEqual([]);
    expect(piecesIn(text, sameLine.flatMap((d) => d.random)), name).toEqual([]);
  }
  expect(listTree(join(world.dir, 'scan'))).toEqual(scanned);
});
