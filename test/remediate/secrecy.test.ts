// Neither the leaked value nor the new one appears in any byte of stdout, stderr, the journal, the issue or the infra edits.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEMO_PATH, FIXTURES, MOUNT, VAULT_TOKEN, GITHUB_TOKEN, KUBE_TOKEN, ISSUED, ISSUED_KEY, findingArgs, incidentsDir, leakedValue, runCli, startWorld, type World } from './harness.js';
import { FAKE_TOKENS, startProviders } from './servers/revoke-server.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

/** Every way a value could slip out: whole, base64, URL-encoded, JSON-escaped, hex. */
function forms(value: string): string[] {
  return [value, Buffer.from(value).toString('base64'), encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('hex')];
}

function expectAbsent(haystacks: Record<string, string>, values: string[]): void {
  for (const [name, text] of Object.entries(haystacks)) {
    for (const value of values) for (const form of forms(value)) expect(text.includes(form), `${name} contains a secret`).toBe(false);
  }
}

function journals(dir: string): string {
  const folder = incidentsDir(dir);
  return readdirSync(folder).map((f) => readFileSync(join(folder, f), 'utf8')).join('\n');
}

function infraText(dir: string): string {
  const files = ['k8s/demo/externalsecret-app.yaml', 'k8s/other/externalsecret.yaml'];
  return files.map((f) => readFileSync(join(dir, 'infra', f), 'utf8')).join('\n');
}

it('plan, apply with --value-stdin, a failing then resumed apply, and rollback never reveal the old or new value', async () => {
  const leaked = leakedValue();
  const fresh = `Nw${'4'.repeat(10)}fresh${'R'.repeat(23)}`;
  const out: string[] = [];
  const plan = await runCli(findingArgs(world), world.env, world.dir);
  out.push(plan.stdout, plan.stderr);
  expect(plan.code).toBe(0);

  world.github.createFailures = 1;
  const failed = await runCli(findingArgs(world, '--apply', '--value-stdin', '--restart'), world.env, world.dir, Readable.from([`${fresh}\n`]));
  out.push(failed.stdout, failed.stderr);
  expect(failed.code).toBe(2);
  expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(fresh);

  const resumed = await runCli(findingArgs(world, '--apply', '--value-stdin', '--restart'), world.env, world.dir, Readable.from([]));
  out.push(resumed.stdout, resumed.stderr);
  expect(resumed.code).toBe(0);

  const id = readdirSync(incidentsDir(world.dir))[0]!.replace(/\.jsonl$/, '');
  const back = await runCli(['--rollback', id], world.env, world.dir);
  out.push(back.stdout, back.stderr);
  expect(back.code).toBe(0);
  expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(leaked);

  expect(world.github.issues).toHaveLength(1);
  const issue = world.github.issues[0]!;
  expectAbsent(
    { output: out.join('\n'), journal: journals(world.dir), issue: `${issue.title}\n${issue.body}`, kube: JSON.stringify([...world.kube.objects.values()]) },
    [leaked, fresh, VAULT_TOKEN, GITHUB_TOKEN, KUBE_TOKEN],
  );
  expect(issue.body).toContain("`…(40 chars)` (redacted)");
});

it('--gitops edits the manifest instead of the API and prints the commit, without any value', async () => {
  const leaked = leakedValue();
  const r = await runCli(findingArgs(world, ...ISSUED, '--apply', '--gitops'), world.env, world.dir);
  expect(r.code).toBe(0);
  expect(world.kube.patches.filter((p) => p.kind === 'ExternalSecret')).toHaveLength(0);
  const manifest = readFileSync(join(world.dir, 'infra', 'k8s', 'demo', 'externalsecret-app.yaml'), 'utf8');
  expect(manifest).toMatch(/\n {4}force-sync: "\d{10}"\n/);
  expect(r.stdout).toMatch(/git -C \S+ add k8s\/demo\/externalsecret-app\.yaml && git -C \S+ commit -m /);
  expect(world.github.issues[0]!.body).toContain('set force-sync=');
  const rotated = String(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY);
  expectAbsent({ output: r.stdout + r.stderr, journal: journals(world.dir), infra: infraText(world.dir), issue: world.github.issues[0]!.body }, [leaked, rotated]);
});

it('--revoke --destroy-leaked-version --audit-log, with a provider that echoes the token in its error, never reveal it', async () => {
  const providers = await startProviders([FAKE_TOKENS.github]);
  try {
    const path = 'xred-eln/ci/api-config';
    world.vault.put(MOUNT, path, { GH_TOKEN: FAKE_TOKENS.github });
    const env = { ...world.env, SPILLWAY_REVOKE_GITHUB_URL: providers.github };
    const args = ['--vault-path', `${MOUNT}/${path}`, '--property', 'GH_TOKEN', '--github', 'acme/incidents', ...ISSUED, '--revoke', '--destroy-leaked-version', '--audit-log', join(FIXTURES, 'audit', 'vault-audit.log')];
    const out: string[] = [];
    const plan = await runCli(args, env, world.dir);
    out.push(plan.stdout, plan.stderr);
    providers.failures = { status: 422, count: 1 };
    const failed = await runCli([...args, '--apply'], env, world.dir);
    out.push(failed.stdout, failed.stderr);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('injected failure for {"credentials":["[REDACTED]"]}');
    const resumed = await runCli([...args, '--apply'], env, world.dir);
    out.push(resumed.stdout, resumed.stderr);
    expect(resumed.code).toBe(0);
    expect(providers.live.size).toBe(0);
    const issue = world.github.issues[0]!;
    expectAbsent({ output: out.join('\n'), journal: journals(world.dir), issue: issue.body }, [FAKE_TOKENS.github, ISSUED_KEY, VAULT_TOKEN, GITHUB_TOKEN]);
  } finally {
    await providers.close();
  }
});
