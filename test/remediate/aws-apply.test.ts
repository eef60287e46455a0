// Remediation in AWS Secrets Manager end to end through the CLI: plan, apply (one JSON key), force-sync, issue, rollback.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DB_PASSWORD, SECRET_ID, currentJson, startAwsWorld, type AwsWorld } from './aws-harness.js';
import { ISSUED, ISSUED_KEY, REPO, incidentsDir, journalLines, leakedValue, runCli } from './harness.js';

let world: AwsWorld;
beforeEach(async () => {
  world = await startAwsWorld();
});
afterEach(async () => {
  await world.close();
});

const incident = () => readdirSync(incidentsDir(world.dir))[0]!.replace(/\.jsonl$/, '');
const args = (...more: string[]) => ['--report', join(world.dir, 'scan', 'report.json'), '--finding', '0', '--infra', join(world.dir, 'infra'), '--github', REPO, ...more];

it('plans from the ExternalSecret and its ClusterSecretStore, confirming the value in memory, and changes nothing', async () => {
  const r = await runCli(args(...ISSUED), world.env, world.dir);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('AWS Secrets Manager: aws-sm:eu-west-1/prod/shop/api#API_KEY, confirmed: its current value is the leaked value');
  expect(r.stdout).toContain('Rotate: read the AWSCURRENT version of prod/shop/api in eu-west-1, check with DescribeSecret that it is still AWSCURRENT, then PutSecretValue with only the JSON key "API_KEY" (the other keys stay)');
  expect(r.stdout).toContain('Sync: annotate ExternalSecret shop/app-api with force-sync=<unix time>');
  expect(r.stdout).toContain('Review CloudTrail (region eu-west-1) for GetSecretValue calls on `prod/shop/api`');
  expect(r.stdout).toContain('rotating it in AWS Secrets Manager does not make the old value stop working');
  expect(r.stdout).not.toContain(leakedValue());
  expect(world.aws.puts).toBe(0);
  expect(world.kube.patches).toHaveLength(0);
});

it('--apply rotates only API_KEY, moves AWSCURRENT/AWSPREVIOUS, force-syncs and opens the issue; --rollback brings the old value back', async () => {
  const before = [...world.aws.stagesOf(SECRET_ID).keys()][0]!;
  const r = await runCli(args(...ISSUED, '--apply'), world.env, world.dir);
  expect(r.code, r.stderr).toBe(0);
  expect(currentJson(world)).toEqual({ API_KEY: ISSUED_KEY, DB_PASSWORD, PORT: 5432 });
  const rotation = journalLines(world.dir, incident()).find((e) => e.step === 'rotate' && e.event === 'done')!.data!;
  const intent = journalLines(world.dir, incident()).find((e) => e.step === 'rotate' && e.event === 'intent')!.data!;
  expect(rotation).toEqual({ oldVersion: before, newVersion: intent.token });
  expect(intent).toEqual({ kind: 'aws-sm', region: 'eu-west-1', secretId: SECRET_ID, property: 'API_KEY', readVersion: before, token: rotation.newVersion });
  expect(world.aws.stagesOf(SECRET_ID)).toEqual(new Map([[before, ['AWSPREVIOUS']], [String(rotation.newVersion), ['AWSCURRENT']]]));
  expect(world.kube.patches.filter((p) => p.kind === 'ExternalSecret').map((p) => p.name)).toEqual(['app-api']);
  expect(world.github.issues).toHaveLength(1);
  const body = world.github.issues[0]!.body;
  expect(body).toContain('rotated `aws-sm:eu-west-1/prod/shop/api#API_KEY` with PutSecretValue (AWSCURRENT checked first, a journaled ClientRequestToken)');
  expect(body).not.toContain(leakedValue());
  expect(body).not.toContain(ISSUED_KEY);
  expect(r.stdout).toContain('Undo the AWS Secrets Manager change with: spillway remediate --rollback');
  const journal = readFileSync(join(incidentsDir(world.dir), `${incident()}.jsonl`), 'utf8');
  for (const text of [journal, r.stdout, r.stderr]) {
    expect(text).not.toContain(leakedValue());
    expect(text).not.toContain(ISSUED_KEY);
    expect(text).not.toContain(DB_PASSWORD);
  }

  const again = await runCli(args(...ISSUED, '--apply'), world.env, world.dir);
  expect(again.stdout).toContain('rotate: already done');
  expect(world.aws.puts).toBe(1);

  const back = await runCli(['--rollback', incident()], world.env, world.dir);
  expect(back.code, back.stderr).toBe(0);
  expect(currentJson(world)).toEqual({ API_KEY: leakedValue(), DB_PASSWORD, PORT: 5432 });
  expect(world.aws.puts).toBe(2);
  const comment = world.github.issues[0]!.comments[0]!.body;
  expect(comment).toContain(`wrote version ${before}'s value of \`aws-sm:eu-west-1/prod/shop/api#API_KEY\` back`);
  expect(comment).toContain('AWS Secrets Manager holds the leaked value again');
});

it('--rollback refuses when AWSCURRENT moved on after the rotation', async () => {
  expect((await runCli(args(...ISSUED, '--apply'), world.env, world.dir)).code).toBe(0);
  world.aws.put(SECRET_ID, JSON.stringify({ API_KEY: 'someone-else', DB_PASSWORD }));
  const back = await runCli(['--rollback', incident()], world.env, world.dir);
  expect(back.code).toBe(2);
  expect(back.stderr).toContain('aws-sm: aws-sm:eu-west-1/prod/shop/api#API_KEY is at version');
  expect(back.stderr).toContain('it changed since; roll back by hand');
  expect(currentJson(world).API_KEY).toBe('someone-else');
});

it('--aws-secret names the target without --infra; throttling on the way is retried', async () => {
  world.aws.throttle = { count: 2, retryAfter: '0' };
  const r = await runCli(['--aws-secret', SECRET_ID, '--property', 'API_KEY', '--issued-by', 'team', '--apply'], world.env, world.dir);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('AWS Secrets Manager: aws-sm:eu-west-1/prod/shop/api#API_KEY');
  const json = currentJson(world);
  expect(json.API_KEY).not.toBe(leakedValue());
  expect(String(json.API_KEY)).toHaveLength(leakedValue().length);
  expect(json.DB_PASSWORD).toBe(DB_PASSWORD);
});

it('without AWS credentials --apply stops before any change, naming what to set', async () => {
  const env = { ...world.env, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
  const r = await runCli(args(...ISSUED, '--apply'), env, world.dir);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('aws: no credentials: no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and no keys for profile default');
  expect(world.aws.calls).toEqual([]);
});

it('--destroy-leaked-version deprecates the replaced version (its AWSPREVIOUS label removed), says so, and a rollback then refuses', async () => {
  const before = [...world.aws.stagesOf(SECRET_ID).keys()][0]!;
  const plan = await runCli(args(...ISSUED, '--destroy-leaked-version'), world.env, world.dir);
  expect(plan.code, plan.stderr).toBe(0);
  expect(plan.stdout).toContain('Deprecate: after the rotation, remove the labels (AWSPREVIOUS) of the version the rotation replaced with UpdateSecretVersionStage');
  expect(world.aws.calls).not.toContain('UpdateSecretVersionStage');

  const r = await runCli(args(...ISSUED, '--destroy-leaked-version', '--apply'), world.env, world.dir);
  expect(r.code, r.stderr).toBe(0);
  const rotation = journalLines(world.dir, incident()).find((e) => e.step === 'rotate' && e.event === 'done')!.data!;
  expect(world.aws.stagesOf(SECRET_ID)).toEqual(new Map([[before, []], [String(rotation.newVersion), ['AWSCURRENT']]]));
  expect(journalLines(world.dir, incident()).find((e) => e.step === 'destroy' && e.event === 'done')!.data).toEqual({ versions: [before], deprecated: ['AWSPREVIOUS'], unreadable: [] });
  expect(world.github.issues[0]!.body).toContain(`deprecated version \`${before}\` of \`aws-sm:eu-west-1/prod/shop/api#API_KEY\``);

  const again = await runCli(args(...ISSUED, '--destroy-leaked-version', '--apply'), world.env, world.dir);
  expect(again.code, again.stderr).toBe(0);
  expect(world.aws.calls.filter((c) => c === 'UpdateSecretVersionStage')).toHaveLength(1);

  const back = await runCli(['--rollback', incident()], world.env, world.dir);
  expect(back.code).toBe(2);
  expect(back.stderr).toContain(`version ${before} of aws-sm:eu-west-1/prod/shop/api#API_KEY held the leaked value and was deprecated (its staging labels removed) on`);
  expect(currentJson(world)).toEqual({ API_KEY: ISSUED_KEY, DB_PASSWORD, PORT: 5432 });
});
