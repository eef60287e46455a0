// A remediation killed (SIGKILL) at a step boundary resumes from its journal: nothing lost, nothing done twice.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestGate } from './servers/http-util.js';
import { FAKE_TOKENS, startProviders, type FakeProviders } from './servers/revoke-server.js';
import { DEMO_PATH, FIXTURES, ISSUED, MOUNT, REPO, findingArgs, incidentsDir, journalLines, killAtRequest, leakedValue, runCli, spawnCli, startWorld, type World } from './harness.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

function steps(): string[] {
  const id = readdirSync(incidentsDir(world.dir))[0]!.replace(/\.jsonl$/, '');
  return journalLines(world.dir, id).map((e) => `${e.step}:${e.event}`);
}

it('killed after Vault wrote the new value but before the journal recorded it: the re-run detects the write', async () => {
  const run = spawnCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
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

  const resumed = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
  expect(resumed.code).toBe(0);
  expect(world.vault.patches).toBe(1);
  expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(rotated);
  expect(world.kube.patches.filter((p) => p.kind === 'ExternalSecret')).toHaveLength(1);
  expect(world.github.issues).toHaveLength(1);
  expect(steps().filter((s) => s.endsWith(':done'))).toEqual(['plan:done', 'rotate:done', 'sync:xred-eln/demo-app-secret:done', 'issue:done', 'complete:done']);
});

it('killed after the sync, before the issue: the re-run only opens the issue', async () => {
  const run = spawnCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
  world.github.beforeList = () => {
    world.github.beforeList = undefined;
    run.kill();
    return new Promise((resolve) => setTimeout(resolve, 200));
  };
  const killed = await run.done;
  expect(killed.signal).toBe('SIGKILL');
  expect(steps()).toEqual(['plan:done', 'rotate:intent', 'rotate:done', 'sync:xred-eln/demo-app-secret:intent', 'sync:xred-eln/demo-app-secret:done']);

  const result = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('rotate: already done (version 1 -> 2)');
  expect(world.vault.patches).toBe(1);
  expect(world.kube.patches.filter((p) => p.kind === 'ExternalSecret')).toHaveLength(1);
  expect(world.github.issues).toHaveLength(1);
});

it('killed after creating the issue, before journaling it: the re-run finds that issue instead of opening another', async () => {
  const run = spawnCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
  world.github.afterCreate = () => {
    world.github.afterCreate = undefined;
    run.kill();
    return new Promise((resolve) => setTimeout(resolve, 200));
  };
  expect((await run.done).signal).toBe('SIGKILL');
  expect(steps()).not.toContain('issue:done');
  expect(world.github.issues).toHaveLength(1);
  const resumed = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
  expect(resumed.code).toBe(0);
  expect(resumed.stdout).toContain('issue: found the one opened before #1');
  expect(world.github.issues).toHaveLength(1);
  expect(world.vault.patches).toBe(1);
});

/** Every request the run makes, in order, as "METHOD path" (from a run that is not killed). */
async function requestsOfARun(): Promise<string[]> {
  const seen: string[] = [];
  requestGate.before = async (req) => {
    seen.push(`${req.method} ${req.url}`);
    return true;
  };
  try {
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart'), world.env, world.dir);
    expect(r.code).toBe(0);
  } finally {
    requestGate.before = undefined;
  }
  return seen;
}

/** Checks the invariants after a kill and a resume: journal and Vault agree, nothing lost, nothing done twice. */
function checkConsistent(leaked: string): void {
  const lines = journalLines(world.dir, readdirSync(incidentsDir(world.dir))[0]!.replace(/\.jsonl$/, ''));
  const done = lines.filter((e) => e.event === 'done').map((e) => e.step);
  expect(new Set(done).size, `a step journaled done twice: ${done.join(', ')}`).toBe(done.length);
  expect(done).toEqual(['plan', 'secrets-before', 'rotate', 'sync:xred-eln/demo-app-secret', 'synced:xred-eln/demo-app-secret', 'restart:xred-eln/demo-backend', 'restart:xred-eln/demo-cron', 'issue', 'complete']);
  const rotation = lines.find((e) => e.step === 'rotate' && e.event === 'done')!.data as { oldVersion: number; newVersion: number };
  const history = world.vault.secrets.get(`${MOUNT}/${DEMO_PATH}`)!.map((v) => v.data as Record<string, string>);
  expect(world.vault.patches).toBe(1);
  expect(history).toHaveLength(rotation.newVersion);
  expect(history[rotation.oldVersion - 1]!.API_KEY).toBe(leaked);
  const rotated = history[rotation.newVersion - 1]!;
  expect(rotated.API_KEY).not.toBe(leaked);
  expect(rotated.API_KEY!.length).toBeGreaterThan(0);
  expect(rotated.DB_PASSWORD).toBe(history[rotation.oldVersion - 1]!.DB_PASSWORD);
  expect(world.kube.patches.filter((p) => p.kind === 'ExternalSecret')).toHaveLength(1);
  expect(world.kube.patches.filter((p) => p.kind === 'Deployment')).toHaveLength(2);
  expect(world.github.issues).toHaveLength(1);
}

it('killed at every step boundary in turn (before and after each request the run makes), then resumed: consistent every time', { timeout: 300_000 }, async () => {
  const requests = await requestsOfARun();
  expect(requests.length).toBeGreaterThan(8);
  const leaked = leakedValue();
  let tried = 0;
  const failures: string[] = [];
  const write = (k: number): boolean => k >= 0 && k < requests.length && !requests[k]!.startsWith('GET ');
  // A kill around a read lands between the same two journal lines as a kill before the next write, except
  // for the first request and the reads right before and after a write: those and every write are tried.
  const cases = requests.flatMap((_, k) => [
    ...(k === 0 || write(k) || write(k - 1) || write(k + 1) ? [{ k, phase: 'before' as const }] : []),
    ...(write(k) ? [{ k, phase: 'after' as const }] : []),
  ]);
  for (const { k, phase } of cases) {
    await world.close();
    world = await startWorld();
    tried++;
    const killed = await killAtRequest(findingArgs(world, ...ISSUED, '--apply', '--restart'), world.env, world.dir, phase, k);
    const where = `killed ${phase} request ${k} (${requests[k]})`;
    try {
      expect(killed.signal, `${where}: the run was not killed`).toBe('SIGKILL');
      const resumed = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart'), world.env, world.dir);
      expect(resumed.code, `${where}: ${resumed.stderr}`).toBe(0);
      checkConsistent(leaked);
    } catch (err) {
      failures.push(`${where}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  console.log(`kill at every boundary: ${tried - failures.length} of ${tried} cases passed`);
  expect(failures).toEqual([]);
});

describe('the runbook steps after the rotation (--audit-log --revoke --destroy-leaked-version)', () => {
  const GH_PATH = 'xred-eln/ci/api-config';
  let providers: FakeProviders;
  let env: Record<string, string | undefined>;
  const args = () => ['--vault-path', `${MOUNT}/${GH_PATH}`, '--property', 'GH_TOKEN', '--github', REPO, ...ISSUED, '--apply', '--revoke', '--destroy-leaked-version', '--audit-log', join(FIXTURES, 'audit', 'vault-audit.log')];
  const setUp = async () => {
    providers = await startProviders([FAKE_TOKENS.github]);
    world.vault.put(MOUNT, GH_PATH, { GH_TOKEN: FAKE_TOKENS.github, TIMEOUT: '30' });
    env = { ...world.env, SPILLWAY_REVOKE_GITHUB_URL: providers.github };
  };
  afterEach(async () => {
    await providers?.close();
  });

  /** Nothing done twice, nothing lost: the revocation sent at most once, and journaled as unconfirmed when a kill hid its answer. */
  function checkRunbook(): void {
    const lines = journalLines(world.dir, readdirSync(incidentsDir(world.dir))[0]!.replace(/\.jsonl$/, ''));
    const done = lines.filter((e) => e.event === 'done');
    expect(done.map((e) => e.step)).toEqual(['plan', 'rotate', 'audit', 'revoke', 'destroy', 'issue', 'complete']);
    expect(world.vault.patches).toBe(1);
    expect(world.vault.secrets.get(`${MOUNT}/${GH_PATH}`)!.map((v) => v.destroyed === true)).toEqual([true, false]);
    const outcome = done.find((e) => e.step === 'revoke')!.data!.outcome;
    expect(providers.requests.length).toBeLessThanOrEqual(1);
    expect(['revoked', 'unconfirmed']).toContain(outcome);
    if (outcome === 'revoked') expect(providers.requests).toHaveLength(1);
    expect(providers.live.has(FAKE_TOKENS.github)).toBe(providers.requests.length === 0);
    expect(world.github.issues).toHaveLength(1);
  }

  it('killed after GitHub revoked the token, before the journal recorded it: the re-run does not send it again', async () => {
    await setUp();
    const run = spawnCli(args(), env, world.dir);
    requestGate.after = async (req) => {
      if (req.url !== '/credentials/revoke') return true;
      run.kill();
      await run.done;
      return false;
    };
    const killed = await run.done;
    requestGate.after = undefined;
    expect(killed.signal).toBe('SIGKILL');
    expect(steps()).toEqual(['plan:done', 'rotate:intent', 'rotate:done', 'audit:done', 'revoke:intent']);
    const resumed = await runCli(args(), env, world.dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('not sending it twice');
    expect(providers.requests).toHaveLength(1);
    checkRunbook();
    expect(world.github.issues[0]!.body).toContain('- [ ] Check that the leaked credential is revoked at GitHub');
  });

  it('killed before and after each request in turn, then resumed: consistent every time', { timeout: 300_000 }, async () => {
    await setUp();
    const seen: string[] = [];
    requestGate.before = async (req) => {
      seen.push(`${req.method} ${req.url}`);
      return true;
    };
    const first = await runCli(args(), env, world.dir);
    requestGate.before = undefined;
    expect(first.code, first.stderr).toBe(0);
    checkRunbook();
    const writes = seen.map((r, k) => (r.startsWith('GET ') ? -1 : k)).filter((k) => k >= 0);
    expect(seen.filter((r) => r.includes('/destroy/') || r.includes('/credentials/revoke'))).toHaveLength(2);
    const failures: string[] = [];
    for (const k of writes) {
      for (const phase of ['before', 'after'] as const) {
        await Promise.all([world.close(), providers.close()]);
        world = await startWorld();
        await setUp();
        const killed = await killAtRequest(args(), env, world.dir, phase, k);
        const where = `killed ${phase} request ${k} (${seen[k]})`;
        try {
          expect(killed.signal, `${where}: the run was not killed`).toBe('SIGKILL');
          const resumed = await runCli(args(), env, world.dir);
          expect(resumed.code, `${where}: ${resumed.stderr}`).toBe(0);
          checkRunbook();
        } catch (err) {
          failures.push(`${where}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
