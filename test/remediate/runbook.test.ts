// The runbook's later steps end to end: --revoke, --audit-log, --destroy-leaked-version; plan first, journaled, once.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PATH, FIXTURES, ISSUED, ISSUED_KEY, MOUNT, REPO, findingArgs, incidentsDir, journalLines, leakedValue, runCli, startWorld, type World } from './harness.js';
import { FAKE_TOKENS, startProviders, type FakeProviders } from './servers/revoke-server.js';

const GH_PATH = 'xred-eln/ci/api-config';
const AUDIT = join(FIXTURES, 'audit', 'vault-audit.log');

let world: World;
let providers: FakeProviders;
let env: Record<string, string | undefined>;
beforeEach(async () => {
  world = await startWorld();
  providers = await startProviders(Object.values(FAKE_TOKENS));
  world.vault.put(MOUNT, GH_PATH, { GH_TOKEN: FAKE_TOKENS.github, TIMEOUT: '30' });
  env = { ...world.env, SPILLWAY_REVOKE_GITHUB_URL: providers.github, SPILLWAY_REVOKE_GITLAB_URL: providers.gitlab, SPILLWAY_REVOKE_SLACK_URL: providers.slack };
});
afterEach(async () => {
  await Promise.all([world.close(), providers.close()]);
});

/** The GitHub-token target, rotated to the issued key, with the issue in REPO. */
const ghArgs = (...more: string[]) => ['--vault-path', `${MOUNT}/${GH_PATH}`, '--property', 'GH_TOKEN', '--github', REPO, ...ISSUED, ...more];
const incident = () => readdirSync(incidentsDir(world.dir))[0]!.replace(/\.jsonl$/, '');
const done = () => journalLines(world.dir, incident()).filter((e) => e.event === 'done');

describe('--revoke', () => {
  it('the plan names the API and the origin, sends nothing; without --revoke the checklist names the provider\'s page', async () => {
    const r = await runCli(ghArgs('--revoke'), env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Revoke: POST /credentials/revoke (GitHub's credential revocation API; GitHub notifies the token's owner) at ${providers.github}`);
    expect(providers.requests).toEqual([]);
    const plain = await runCli(ghArgs(), env, world.dir);
    expect(plain.stdout).not.toContain('Revoke: POST');
    expect(plain.stdout).toContain('- [ ] Revoke the leaked credential at GitHub: https://github.com/settings/tokens (or run again with --revoke)');
  });

  it('--apply revokes once the new value is in Vault, marks the checklist done, and a re-run does not send it again', async () => {
    const r = await runCli(ghArgs('--revoke', '--apply'), env, world.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('revoke: GitHub revoked the leaked token');
    expect(world.vault.current(MOUNT, GH_PATH)!.GH_TOKEN).toBe(ISSUED_KEY);
    expect(providers.requests).toEqual([{ provider: 'github', method: 'POST', path: '/credentials/revoke', authorization: false }]);
    expect(providers.live.has(FAKE_TOKENS.github)).toBe(false);
    expect(done().map((e) => e.step)).toEqual(['plan', 'rotate', 'revoke', 'issue', 'complete']);
    const body = world.github.issues[0]!.body;
    expect(body).toMatch(/- \[x\] Revoked the leaked credential at GitHub \(.*, through its API\)/);
    expect(body).not.toContain('- [ ] Revoke the leaked credential');
    expect(body).toContain('GitHub revoked the leaked token through its API.');
    expect(JSON.stringify(journalLines(world.dir, incident())) + r.stdout + body).not.toContain(FAKE_TOKENS.github);

    const again = await runCli(ghArgs('--revoke', '--apply'), env, world.dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('revoke: already done at GitHub (revoked), not sending it again');
    expect(providers.requests).toHaveLength(1);

    const back = await runCli(['--rollback', incident()], env, world.dir);
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('rollback: the old value was revoked at GitHub on');
    expect(world.vault.current(MOUNT, GH_PATH)!.GH_TOKEN).toBe(ISSUED_KEY);
  });

  it('a provider refusing (4xx) fails the step without a lost revocation: the re-run sends it again; a 5xx is never re-sent', async () => {
    providers.failures = { status: 422, count: 1 };
    const refused = await runCli(ghArgs('--revoke', '--apply'), env, world.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('github: revoke: POST /credentials/revoke: injected failure');
    expect(world.github.issues).toHaveLength(0);
    const retried = await runCli(ghArgs('--revoke', '--apply'), env, world.dir);
    expect(retried.code).toBe(0);
    expect(providers.requests).toHaveLength(2);
    expect(providers.live.has(FAKE_TOKENS.github)).toBe(false);
  });

  it('a 429 (certainly not revoked) is retried after its Retry-After within the run', async () => {
    providers.failures = { status: 429, count: 2, retryAfter: '0' };
    const r = await runCli(ghArgs('--revoke', '--apply'), env, world.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('revoke: GitHub answered 429 (rate limited): trying again in 0s');
    expect(providers.requests).toHaveLength(3);
    expect(providers.live.has(FAKE_TOKENS.github)).toBe(false);
  });

  it('after a 5xx (the revocation may have landed) the re-run does not send it twice and asks a person to check', async () => {
    providers.failures = { status: 503, count: 1 };
    expect((await runCli(ghArgs('--revoke', '--apply'), env, world.dir)).code).toBe(2);
    const resumed = await runCli(ghArgs('--revoke', '--apply'), env, world.dir);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('not sending it twice: check at https://github.com/settings/tokens');
    expect(providers.requests).toHaveLength(1);
    expect(world.github.issues[0]!.body).toContain('- [ ] Check that the leaked credential is revoked at GitHub: https://github.com/settings/tokens');
  });

  it('the plan warns that consumers spillway does not restart break when the old value is revoked', async () => {
    world.vault.put(MOUNT, DEMO_PATH, { ...world.vault.current(MOUNT, DEMO_PATH)!, API_KEY: FAKE_TOKENS.github });
    const args = ['--vault-path', `${MOUNT}/${DEMO_PATH}`, '--property', 'API_KEY', '--infra', join(world.dir, 'infra'), '--revoke'];
    const plain = await runCli(args, env, world.dir);
    expect(plain.stdout).toContain('NOTE: Deployment xred-eln/demo-backend, Deployment xred-eln/demo-cron keep the old value until restarted');
    const restarting = await runCli([...args, '--restart'], env, world.dir);
    expect(restarting.stdout).toContain('Revoke: POST /credentials/revoke');
    expect(restarting.stdout).not.toContain('keep the old value until restarted');
  });

  it('a value whose provider cannot be told: the plan says nothing is revoked automatically, nothing is sent', async () => {
    const r = await runCli(findingArgs(world, ...ISSUED, '--revoke', '--apply'), env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Revoke: the provider of this value cannot be told from it');
    expect(providers.requests).toEqual([]);
    expect(world.github.issues[0]!.body).toContain('- [ ] Revoke the leaked credential at its provider');
  });

  it('a plain-http base URL off loopback is refused before anything changes', async () => {
    const r = await runCli(ghArgs('--revoke', '--apply'), { ...env, SPILLWAY_REVOKE_GITHUB_URL: 'http://github.example.com' }, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SPILLWAY_REVOKE_GITHUB_URL: "http://github.example.com" must be https://');
    expect(world.vault.patches).toBe(0);
  });
});

describe('--destroy-leaked-version', () => {
  beforeEach(() => {
    // Versions 1 and 2 hold the leaked value, 3 another one, 4 the leaked value again (a bad rollback): 4 is rotated.
    world.vault.put(MOUNT, DEMO_PATH, { ...world.vault.current(MOUNT, DEMO_PATH)!, LOG_LEVEL: 'debug' });
    world.vault.put(MOUNT, DEMO_PATH, { ...world.vault.current(MOUNT, DEMO_PATH)!, API_KEY: `Interim${'i'.repeat(33)}` });
    world.vault.put(MOUNT, DEMO_PATH, { ...world.vault.current(MOUNT, DEMO_PATH)!, API_KEY: leakedValue() });
  });
  const destroyed = () => world.vault.secrets.get(`${MOUNT}/${DEMO_PATH}`)!.map((v, i) => (v.destroyed ? i + 1 : 0)).filter(Boolean);

  it('the plan shows it; --apply destroys exactly the versions that held the leaked value; a rollback then refuses', async () => {
    const plan = await runCli(findingArgs(world, ...ISSUED, '--destroy-leaked-version'), env, world.dir);
    expect(plan.stdout).toContain(`Destroy: after the rotation, read the versions of ${MOUNT}/${DEMO_PATH} before the new one`);
    expect(world.vault.destroys).toBe(0);
    const r = await runCli(findingArgs(world, ...ISSUED, '--destroy-leaked-version', '--apply'), env, world.dir);
    expect(r.stderr).not.toContain('remediate:');
    expect(r.code).toBe(0);
    expect(destroyed()).toEqual([1, 2, 4]);
    expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(ISSUED_KEY);
    expect(r.stdout).toContain(`destroy: destroyed version(s) 1, 2, 4 of ${MOUNT}/${DEMO_PATH}#API_KEY`);
    expect(world.github.issues[0]!.body).toContain(`destroyed version(s) 1, 2, 4 of \`${MOUNT}/${DEMO_PATH}\``);
    expect(JSON.stringify(journalLines(world.dir, incident()))).not.toContain(leakedValue());

    const again = await runCli(findingArgs(world, ...ISSUED, '--destroy-leaked-version', '--apply'), env, world.dir);
    expect(again.stdout).toContain('destroy: already done (versions 1, 2, 4)');
    expect(world.vault.destroys).toBe(1);

    const back = await runCli(['--rollback', incident()], env, world.dir);
    expect(back.code).toBe(2);
    expect(back.stderr).toContain(`rollback: version 4 of ${MOUNT}/${DEMO_PATH}#API_KEY held the leaked value and was destroyed on`);
    expect(back.stderr).toContain('it cannot be brought back');
    expect(world.vault.patches).toBe(1);
  });

  it('with --gitops --restart it waits for the synced commit, then destroys and says so on the issue opened before, once', async () => {
    const argv = findingArgs(world, ...ISSUED, '--apply', '--gitops', '--restart', '--sync-timeout', '5', '--destroy-leaked-version');
    const first = await runCli(argv, env, world.dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('revoke/destroy: wait until the restarts are done');
    expect(world.vault.destroys).toBe(0);
    expect(world.github.issues).toHaveLength(1);
    const manifest = readFileSync(join(world.dir, 'infra', 'k8s', 'demo', 'externalsecret-app.yaml'), 'utf8');
    world.kube.applyAnnotations('xred-eln', 'demo-app-secret', { 'force-sync': /force-sync: "(\d+)"/.exec(manifest)![1]! });
    const second = await runCli(argv, env, world.dir);
    expect(second.code, second.stderr).toBe(0);
    expect(destroyed()).toEqual([1, 2, 4]);
    const comments = world.github.issues[0]!.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- spillway-runbook: ');
    expect(comments[0]!.body).toContain(`destroyed version(s) 1, 2, 4 of \`${MOUNT}/${DEMO_PATH}\``);
    expect((await runCli(argv, env, world.dir)).code).toBe(0);
    expect(world.github.issues[0]!.comments).toHaveLength(1);
  });

  it('without the flag nothing is destroyed and a rollback still works', async () => {
    expect((await runCli(findingArgs(world, ...ISSUED, '--apply'), env, world.dir)).code).toBe(0);
    expect(world.vault.destroys).toBe(0);
    expect((await runCli(['--rollback', incident()], env, world.dir)).code).toBe(0);
    expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(leakedValue());
  });
});

describe('--audit-log', () => {
  it('the plan summarises the reads so far; the issue gets the leak window up to the rotation; no HMAC\'d value anywhere', async () => {
    const plan = await runCli(findingArgs(world, '--audit-log', AUDIT), env, world.dir);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`Audit: read the Vault audit log ${AUDIT} (streamed) for reads of ${MOUNT}/data/${DEMO_PATH} in namespace minerva-prod/xred-eln`);
    expect(plan.stdout).toMatch(/Reads of apps-prod\/data\/xred-eln\/demo\/api-config \(namespace minerva-prod\/xred-eln\) in .* from the first entry until .*: 6 by 4 client identities/);
    expect(plan.stdout).toContain('entity 5b0c2a8e-0000-4000-8000-00000000e501, kubernetes-xred-eln-external-secrets, from 10.42.0.17: 3 read(s)');
    expect(plan.stdout).toContain('note: 3 line(s)');
    const r = await runCli(findingArgs(world, ...ISSUED, '--audit-log', AUDIT, '--apply'), env, world.dir);
    expect(r.code).toBe(0);
    expect(done().map((e) => e.step)).toContain('audit');
    const body = world.github.issues[0]!.body;
    expect(body).toContain('## Who read it during the leak window');
    expect(body).toContain('| 9e9e9e9e-0000-4000-8000-0000000bad01 | userpass-mallory | 203.0.113.66 | 1 | 1 |');
    expect(body).not.toContain('2099-');
    expect(body).toContain('Check that every client identity that read');
    for (const text of [plan.stdout, r.stdout, body, JSON.stringify(journalLines(world.dir, incident()))]) expect(text).not.toContain('hmac-sha256');
  });

  it('a missing audit log is exit 2 naming it, before anything changes', async () => {
    const r = await runCli(findingArgs(world, ...ISSUED, '--audit-log', 'nope.log', '--apply'), env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--audit-log ${join(world.dir, 'nope.log')}: cannot read it (ENOENT)`);
    expect(world.vault.patches).toBe(0);
  });
});
