// The Vault KV v2 adapter retries what is safe to retry: reads on 429/503 (honouring Retry-After), the cas PATCH on 429 only.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEMO_PATH, ISSUED, ISSUED_KEY, MOUNT, findingArgs, runCli, startWorld, type World } from './harness.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

it('reads answered 429 (Retry-After) or 503, and a PATCH answered 429, are retried: the rotation goes through, written once', async () => {
  world.vault.readFaults.push({ status: 429, retryAfter: '1' }, { status: 503 });
  world.vault.patchFaults.push('429');
  const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
  expect(r.code, r.stderr).toBe(0);
  expect(world.vault.readFaults).toEqual([]);
  expect(world.vault.patchFaults).toEqual([]);
  expect(world.vault.patches).toBe(1);
  expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(ISSUED_KEY);
});

it('a Retry-After longer than the adapter waits fails at once, naming Vault\'s answer, with nothing written', async () => {
  world.vault.readFaults.push({ status: 429, retryAfter: '3600' });
  const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('rate limit quota exceeded');
  expect(world.vault.patches).toBe(0);
});

it('a read Vault keeps answering 503 is tried 4 times in all, not 4 times the HTTP layer\'s own retries', async () => {
  world.vault.readFaults.push(...Array.from({ length: 30 }, () => ({ status: 503 as const })));
  const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('Vault is sealed');
  // The world has two candidate paths for the leaked value: each is read 4 times (12 each with two retry layers).
  expect(30 - world.vault.readFaults.length).toBe(8);
  expect(world.vault.patches).toBe(0);
});
