// A journal planted in the scanned repository (or one another user could write) never decides what remediate rotates.
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PATH, ISSUED, MOUNT, findingArgs, incidentsDir, leakedValue, runCli, startWorld, type World } from './harness.js';

let world: World;
let donor: World;
beforeEach(async () => {
  [world, donor] = await Promise.all([startWorld(), startWorld()]);
});
afterEach(async () => {
  await Promise.all([world.close(), donor.close()]);
});

/** The journal line an attacker would plant: the real plan of this finding, retargeted at DB_PASSWORD and their own repository. */
async function attackerJournal(): Promise<{ id: string; line: string }> {
  const r = await runCli(findingArgs(donor, ...ISSUED, '--apply'), donor.env, donor.dir);
  expect(r.code, r.stderr).toBe(0);
  const file = readdirSync(incidentsDir(donor.dir))[0]!;
  const planLine = readFileSync(join(incidentsDir(donor.dir), file), 'utf8').split('\n').find((l) => l.includes('"step":"plan"'))!;
  const entry = JSON.parse(planLine);
  entry.data.plan.target.property = 'DB_PASSWORD';
  entry.data.plan.github = { owner: 'attacker', repo: 'loot' };
  return { id: file.replace(/\.jsonl$/, ''), line: `${JSON.stringify(entry)}\n` };
}

describe('remediate never trusts a journal it did not write', () => {
  it('ignores .spillway/incidents in the current directory (the scanned repository): state lives in the user state folder', async () => {
    const { id, line } = await attackerJournal();
    const planted = join(world.dir, '.spillway', 'incidents');
    mkdirSync(planted, { recursive: true });
    writeFileSync(join(planted, `${id}.jsonl`), line, { mode: 0o600 });
    const before = world.vault.current(MOUNT, DEMO_PATH)!;
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('resuming');
    const after = world.vault.current(MOUNT, DEMO_PATH)!;
    expect(after.DB_PASSWORD).toBe(before.DB_PASSWORD);
    expect(after.API_KEY).not.toBe(leakedValue());
    expect(world.github.issues).toHaveLength(1);
    expect(readdirSync(incidentsDir(world.dir))).toEqual([`${id}.jsonl`]);
  });

  it('refuses a journaled plan whose issue repository is not the one asked for, and one other users can write', async () => {
    const { id, line } = await attackerJournal();
    const shared = join(world.dir, 'shared-journals');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, `${id}.jsonl`), line, { mode: 0o600 });
    const before = world.vault.current(MOUNT, DEMO_PATH)!;
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply', '--journal-dir', shared), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${id}.jsonl: the journaled plan opens its issue in attacker/loot, not acme/incidents: refusing to resume it`);
    chmodSync(join(shared, `${id}.jsonl`), 0o666);
    const loose = await runCli(findingArgs(world, ...ISSUED, '--apply', '--journal-dir', shared), world.env, world.dir);
    expect(loose.code).toBe(2);
    expect(loose.stderr).toContain(`${id}.jsonl: the journal is writable by other users: refusing to trust it`);
    expect(world.vault.current(MOUNT, DEMO_PATH)).toEqual(before);
    expect(world.github.issues).toHaveLength(0);
  });

  it('refuses a journaled plan that rotates another target than --vault-path names', async () => {
    const { line } = await attackerJournal();
    const explicit = ['--vault-path', `${MOUNT}/${DEMO_PATH}`, '--property', 'API_KEY'];
    const dry = await runCli([...explicit, '--infra', join(world.dir, 'infra')], world.env, world.dir);
    expect(dry.code, dry.stderr).toBe(0);
    const id = /Incident (inc-[0-9a-f]{12})/.exec(dry.stdout)![1]!;
    const entry = JSON.parse(line);
    entry.incident = id;
    entry.data.plan.incident = id;
    entry.data.plan.github = undefined;
    mkdirSync(incidentsDir(world.dir), { recursive: true, mode: 0o700 });
    writeFileSync(join(incidentsDir(world.dir), `${id}.jsonl`), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    const r = await runCli([...explicit, '--infra', join(world.dir, 'infra'), ...ISSUED, '--apply'], world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the journaled plan rotates ${MOUNT}/${DEMO_PATH}#DB_PASSWORD, not ${MOUNT}/${DEMO_PATH}#API_KEY`);
    expect(world.vault.patches).toBe(0);
  });
});
