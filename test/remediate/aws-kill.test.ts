// A remediation in AWS Secrets Manager killed (SIGKILL) at a step boundary resumes from its journal: the
// ClientRequestToken tells whether the interrupted PutSecretValue landed; nothing lost, nothing done twice.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DB_PASSWORD, SECRET_ID, currentJson, startAwsWorld, type AwsWorld } from './aws-harness.js';
import { ISSUED, REPO, incidentsDir, journalLines, killAtRequest, leakedValue, runCli, spawnCli } from './harness.js';
import { requestGate } from './servers/http-util.js';

let world: AwsWorld;
beforeEach(async () => {
  world = await startAwsWorld();
});
afterEach(async () => {
  await world.close();
});

const args = (...more: string[]) => ['--report', join(world.dir, 'scan', 'report.json'), '--finding', '0', '--infra', join(world.dir, 'infra'), '--github', REPO, ...ISSUED, '--apply', ...more];
const lines = () => journalLines(world.dir, readdirSync(incidentsDir(world.dir))[0]!.replace(/\.jsonl$/, ''));

it('killed after PutSecretValue made the version but before the journal recorded it: the re-run finds it by its token', async () => {
  const run = spawnCli(args(), world.env, world.dir);
  world.aws.afterPut = () => {
    world.aws.afterPut = undefined;
    run.kill();
    return new Promise((resolve) => setTimeout(resolve, 200));
  };
  expect((await run.done).signal).toBe('SIGKILL');
  expect(lines().map((e) => `${e.step}:${e.event}`)).toEqual(['plan:done', 'rotate:intent']);
  const rotated = currentJson(world).API_KEY;
  expect(rotated).not.toBe(leakedValue());

  const resumed = await runCli(args(), world.env, world.dir);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stdout).toContain('rotate: the interrupted write had reached AWS Secrets Manager');
  expect(world.aws.puts).toBe(1);
  expect(currentJson(world).API_KEY).toBe(rotated);
  expect(lines().find((e) => e.step === 'rotate' && e.event === 'done')!.data).toMatchObject({ recovered: true });
  expect(world.github.issues).toHaveLength(1);
});

/** Every request a run makes, in order, as "server op" (from a run that is not killed). */
async function requestsOfARun(): Promise<string[]> {
  const seen: string[] = [];
  requestGate.before = async (req) => {
    seen.push(`${req.method} ${req.url} ${String(req.headers['x-amz-target'] ?? '')}`);
    return true;
  };
  try {
    const r = await runCli(args('--restart'), world.env, world.dir);
    expect(r.code, r.stderr).toBe(0);
  } finally {
    requestGate.before = undefined;
  }
  return seen;
}

function checkConsistent(leaked: string): void {
  const all = lines();
  const done = all.filter((e) => e.event === 'done').map((e) => e.step);
  expect(new Set(done).size, `a step journaled done twice: ${done.join(', ')}`).toBe(done.length);
  expect(done).toEqual(['plan', 'secrets-before', 'rotate', 'sync:shop/app-api', 'synced:shop/app-api', 'restart:shop/shop-backend', 'issue', 'complete']);
  const rotation = all.find((e) => e.step === 'rotate' && e.event === 'done')!.data as { oldVersion: string; newVersion: string };
  expect(world.aws.puts).toBe(1);
  expect(world.aws.stagesOf(SECRET_ID).get(rotation.newVersion)).toEqual(['AWSCURRENT']);
  expect(world.aws.stagesOf(SECRET_ID).get(rotation.oldVersion)).toEqual(['AWSPREVIOUS']);
  const json = currentJson(world);
  expect(json.API_KEY).not.toBe(leaked);
  expect(json.DB_PASSWORD).toBe(DB_PASSWORD);
  expect(world.kube.patches.filter((p) => p.kind === 'ExternalSecret')).toHaveLength(1);
  expect(world.kube.patches.filter((p) => p.kind === 'Deployment')).toHaveLength(1);
  expect(world.github.issues).toHaveLength(1);
}

it('killed at every step boundary around a write (before and after it), then resumed: consistent every time', { timeout: 300_000 }, async () => {
  const requests = await requestsOfARun();
  const leaked = leakedValue();
  const write = (k: number): boolean => k >= 0 && k < requests.length && !requests[k]!.startsWith('GET ') && !/GetSecretValue|DescribeSecret/.test(requests[k]!);
  expect(requests.filter((_, k) => write(k)).some((r) => r.endsWith('secretsmanager.PutSecretValue'))).toBe(true);
  const cases = requests.flatMap((_, k) => [
    ...(k === 0 || write(k) || write(k - 1) || write(k + 1) ? [{ k, phase: 'before' as const }] : []),
    ...(write(k) ? [{ k, phase: 'after' as const }] : []),
  ]);
  const failures: string[] = [];
  for (const { k, phase } of cases) {
    await world.close();
    world = await startAwsWorld();
    const killed = await killAtRequest(args('--restart'), world.env, world.dir, phase, k);
    const where = `killed ${phase} request ${k} (${requests[k]})`;
    try {
      expect(killed.signal, `${where}: the run was not killed`).toBe('SIGKILL');
      const resumed = await runCli(args('--restart'), world.env, world.dir);
      expect(resumed.code, `${where}: ${resumed.stderr}`).toBe(0);
      checkConsistent(leaked);
    } catch (err) {
      failures.push(`${where}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  console.log(`aws kill at every boundary: ${cases.length - failures.length} of ${cases.length} cases passed`);
  expect(failures).toEqual([]);
});
