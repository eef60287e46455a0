// The runbook end to end against the local servers: plan, apply, resume after faults, rollback.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PATH, ISSUED, ISSUED_KEY, MOUNT, OTHER_PATH, findingArgs, journalLines, leakedValue, runCli, startWorld, type World, incidentsDir } from './harness.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

function incidentIn(dir: string): string {
  const files = readdirSync(incidentsDir(dir));
  expect(files).toHaveLength(1);
  return files[0]!.replace(/\.jsonl$/, '');
}

const esPatches = () => world.kube.patches.filter((p) => p.kind === 'ExternalSecret');

describe('remediate plan (dry run)', () => {
  it('locates the leaked value by comparing with Vault, names every step, and changes nothing', async () => {
    const r = await runCli(findingArgs(world), world.env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Vault: ${MOUNT}/${DEMO_PATH}#API_KEY (namespace minerva-prod/xred-eln), confirmed`);
    expect(r.stdout).toContain('annotate ExternalSecret xred-eln/demo-app-secret with force-sync=<unix time>');
    expect(r.stdout).not.toContain('other-app-secret');
    expect(r.stdout).toContain('Restart needed (not done without --restart): Deployment xred-eln/demo-backend (reads it via env API_KEY): kubectl rollout restart deployment/demo-backend -n xred-eln');
    expect(r.stdout).toContain('Deployment xred-eln/demo-cron (reads it via envFrom)');
    expect(r.stdout).toContain('No restart needed: Deployment xred-eln/demo-worker (reads it via volume)');
    expect(r.stdout).toContain('open an issue in acme/incidents labelled security, incident');
    expect(r.stdout).toContain('git filter-repo --invert-paths --path .env');
    expect(r.stderr).toContain('broken.yaml');
    expect(world.vault.patches).toBe(0);
    expect(world.kube.patches).toHaveLength(0);
    expect(world.github.issues).toHaveLength(0);
    expect(existsSync(join(world.dir, '.spillway'))).toBe(false);
  });

  it('reads the same finding from the SARIF report', async () => {
    const argv = findingArgs(world).map((a) => a.replace(/report\.json$/, 'report.sarif'));
    const r = await runCli(argv, world.env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Vault: ${MOUNT}/${DEMO_PATH}#API_KEY (namespace minerva-prod/xred-eln), confirmed`);
  });

  it('--apply refuses a target matched by name only, when the leaked value cannot be compared', async () => {
    const { rmSync } = await import('node:fs');
    rmSync(join(world.dir, 'scan', '.env'));
    rmSync(join(world.dir, 'infra', 'k8s', 'other'), { recursive: true });
    const args = ['--report', join(world.dir, 'scan', 'report.json'), '--finding', '0', '--infra', join(world.dir, 'infra'), '--apply'];
    const r = await runCli(args, world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read the leaked file (ENOENT)');
    expect(r.stderr).toContain('matches the finding by name only');
    expect(world.vault.patches).toBe(0);
  });

  it('bad usage is exit 2 with a message naming the option', async () => {
    expect((await runCli(['--report', 'x.json'], world.env, world.dir)).stderr).toContain('--finding: required with --report');
    expect((await runCli([], world.env, world.dir)).stderr).toContain('give --report FILE --finding FINGERPRINT|INDEX, or --vault-path MOUNT/PATH --property KEY, or --rollback ID');
    expect((await runCli(['--report', 'missing.json', '--finding', '0'], world.env, world.dir)).stderr).toContain('missing.json: cannot read the report (ENOENT)');
    expect((await runCli(['--rollback', 'inc-000000000000'], world.env, world.dir)).stderr).toContain('no journaled incident inc-000000000000');
  });

  it('without Vault, two candidates share the name API_KEY: it lists them and asks for --vault-path', async () => {
    const env = { ...world.env, VAULT_ADDR: undefined };
    const r = await runCli(findingArgs(world), env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${MOUNT}/${DEMO_PATH}#API_KEY`);
    expect(r.stderr).toContain(`${MOUNT}/${OTHER_PATH}#API_KEY`);
    expect(r.stderr).toContain('--vault-path');
  });
});

describe('remediate --apply', () => {
  it('patches only the property with cas, force-syncs, restarts, opens the issue, and journals each step', async () => {
    const before = world.vault.current(MOUNT, DEMO_PATH)!;
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart'), world.env, world.dir);
    expect(r.stderr).not.toContain('remediate:');
    expect(r.code).toBe(0);
    const versions = world.vault.secrets.get(`${MOUNT}/${DEMO_PATH}`)!;
    expect(versions).toHaveLength(2);
    const after = versions[1]!.data;
    expect(after.DB_PASSWORD).toBe(before.DB_PASSWORD);
    expect(after.API_KEY).toBe(ISSUED_KEY);
    const patch = world.vault.requests.find((q) => q.method === 'PATCH')!;
    expect(patch.contentType).toBe('application/merge-patch+json');
    expect(patch.namespace).toBe('minerva-prod/xred-eln');
    expect(world.vault.requests.some((q) => q.method === 'POST' || q.method === 'PUT')).toBe(false);

    expect(esPatches().map((p) => p.name)).toEqual(['demo-app-secret']);
    const forceSync = Number(world.kube.get('ExternalSecret', 'xred-eln', 'demo-app-secret')!.metadata.annotations['force-sync']);
    expect(Math.abs(forceSync - Date.now() / 1000)).toBeLessThan(60);
    expect(world.kube.get('ExternalSecret', 'xred-eln', 'demo-app-secret')!.metadata.annotations['argocd.argoproj.io/compare-options']).toBe('IgnoreExtraneous');
    const restarted = world.kube.patches.filter((p) => p.kind === 'Deployment').map((p) => p.name).sort();
    expect(restarted).toEqual(['demo-backend', 'demo-cron']);
    expect(world.kube.get('Deployment', 'xred-eln', 'demo-backend')!.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-/);

    expect(world.github.issues).toHaveLength(1);
    const issue = world.github.issues[0]!;
    expect(issue.labels).toEqual(['security', 'incident']);
    expect(issue.title).toBe('Leaked generic-api-key in .env:2');
    expect(issue.body).toContain('version 1 → 2');
    expect(issue.body).toContain('forced a sync of ExternalSecret `xred-eln/demo-app-secret` (force-sync=');
    expect(issue.body).toContain('git filter-repo --invert-paths --path .env');
    expect(issue.body).toContain('Revoke the leaked credential');
    expect(issue.body).toContain('Force-push');
    expect(issue.body).toContain(`Review the Vault audit log for reads of \`${MOUNT}/data/${DEMO_PATH}\``);

    const id = incidentIn(world.dir);
    const steps = journalLines(world.dir, id).filter((e) => e.event === 'done').map((e) => e.step);
    expect(steps).toEqual(['plan', 'secrets-before', 'rotate', 'sync:xred-eln/demo-app-secret', 'synced:xred-eln/demo-app-secret', 'restart:xred-eln/demo-backend', 'restart:xred-eln/demo-cron', 'issue', 'complete']);
    expect(statSync(join(incidentsDir(world.dir), `${id}.jsonl`)).mode & 0o777).toBe(0o600);

    const again = await runCli(findingArgs(world, ...ISSUED, '--apply', '--restart'), world.env, world.dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('rotate: already done (version 1 -> 2), not rotating again');
    expect(world.vault.patches).toBe(1);
    expect(esPatches()).toHaveLength(1);
    expect(world.github.issues).toHaveLength(1);
  });

  it('without VAULT_NAMESPACE, the SecretStore\'s Vault namespace is sent', async () => {
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), { ...world.env, VAULT_NAMESPACE: undefined }, world.dir);
    expect(r.code).toBe(0);
    expect(world.vault.requests.every((q) => q.namespace === 'minerva-prod/xred-eln')).toBe(true);
    expect(world.vault.patches).toBe(1);
  });

  it('the new value is in Vault before any ExternalSecret is told to sync', async () => {
    const seen: unknown[] = [];
    world.kube.onPatch = (p) => {
      if (p.kind === 'ExternalSecret') seen.push(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY);
    };
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(r.code).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toBe(leakedValue());
  });

  it('Vault 503 during the write: exits 2 with the failure journaled; the re-run writes once', async () => {
    world.vault.patchFaults.push('503');
    const first = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('Vault is sealed');
    expect(first.stderr).toContain('run the same command again to resume');
    expect(world.vault.secrets.get(`${MOUNT}/${DEMO_PATH}`)).toHaveLength(1);
    expect(esPatches()).toHaveLength(0);
    const id = incidentIn(world.dir);
    expect(journalLines(world.dir, id).map((e) => `${e.step}:${e.event}`)).toEqual(['plan:done', 'rotate:intent', 'rotate:failed']);

    const second = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('resuming incident');
    expect(world.vault.patches).toBe(1);
    expect(world.vault.secrets.get(`${MOUNT}/${DEMO_PATH}`)).toHaveLength(2);
    expect(esPatches()).toHaveLength(1);
    expect(world.github.issues).toHaveLength(1);
  });

  it('Vault wrote but answered 503: the re-run sees the write in Vault metadata and does not rotate again', async () => {
    world.vault.patchFaults.push('503-after-write');
    const first = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(first.code).toBe(2);
    const rotated = world.vault.current(MOUNT, DEMO_PATH)!.API_KEY;
    expect(rotated).not.toBe(leakedValue());
    const second = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('the interrupted write had reached Vault (version 1 -> 2), not rotating again');
    expect(world.vault.patches).toBe(1);
    expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(rotated);
    expect(world.github.issues[0]!.body).toContain('confirmed from Vault after an interrupted run');
  });

  it('a concurrent change fails the write loudly (cas); the journal records that nothing was written', async () => {
    world.vault.beforePatch = () => {
      world.vault.beforePatch = undefined;
      world.vault.put(MOUNT, DEMO_PATH, { API_KEY: leakedValue(), DB_PASSWORD: 'changed-meanwhile' });
    };
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('check-and-set parameter did not match the current version');
    expect(world.vault.current(MOUNT, DEMO_PATH)!.DB_PASSWORD).toBe('changed-meanwhile');
    expect(journalLines(world.dir, incidentIn(world.dir)).at(-1)).toMatchObject({ step: 'rotate', event: 'failed', data: { written: false } });
    const again = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(again.code).toBe(0);
    expect(world.vault.patches).toBe(1);
    expect(world.vault.current(MOUNT, DEMO_PATH)!.DB_PASSWORD).toBe('changed-meanwhile');
    expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).not.toBe(leakedValue());
  });

  it('an unfinished write followed by someone else\'s change stops instead of overwriting', async () => {
    world.vault.patchFaults.push('503-after-write');
    expect((await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir)).code).toBe(2);
    world.vault.put(MOUNT, DEMO_PATH, { API_KEY: 'someone-else', DB_PASSWORD: 'x' });
    const second = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('someone else changed it');
    expect(world.vault.patches).toBe(1);
    expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe('someone-else');
  });

  it('Kubernetes 409: one conflict is retried with a fresh resourceVersion; persistent conflicts fail and resume at the sync', async () => {
    world.kube.conflicts = 1;
    expect((await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir)).code).toBe(0);
    expect(esPatches()).toHaveLength(1);
    await world.close();
    world = await startWorld();
    world.kube.conflicts = 10;
    const first = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('the object has been modified');
    expect(world.vault.patches).toBe(1);
    world.kube.conflicts = 0;
    const second = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(second.code).toBe(0);
    expect(world.vault.patches).toBe(1);
    expect(esPatches()).toHaveLength(1);
    expect(world.github.issues).toHaveLength(1);
  });

  it('GitHub 500 on create: the re-run opens exactly one issue and changes nothing else', async () => {
    world.github.createFailures = 1;
    const first = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('github: create an issue in acme/incidents');
    expect(world.github.issues).toHaveLength(0);
    const second = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(second.code).toBe(0);
    expect(world.github.issues).toHaveLength(1);
    expect(world.vault.patches).toBe(1);
    expect(esPatches()).toHaveLength(1);
  });

  it.each([
    ['a rejected Vault token', { VAULT_TOKEN: 'bad' }, 'vault: token lookup-self: permission denied'],
    ['no Vault credentials', { VAULT_TOKEN: undefined }, 'vault: no credentials'],
    ['a wrong Vault namespace', { VAULT_NAMESPACE: 'elsewhere' }, 'permission denied'],
    ['a rejected GitHub token', { GITHUB_TOKEN: 'bad' }, 'github: read acme/incidents: Bad credentials'],
    ['no GitHub token', { GITHUB_TOKEN: undefined }, 'GITHUB_TOKEN is not set'],
    ['a rejected Kubernetes token', { KUBECONFIG: 'BADKUBE' }, 'kubernetes: list deployments in xred-eln: Unauthorized'],
    ['no kubeconfig', { KUBECONFIG: '/nonexistent/kubeconfig' }, 'KUBECONFIG names no readable file'],
  ])('%s: a clear error before any change', async (_name, overrides, message) => {
    const env: Record<string, string | undefined> = { ...world.env, ...overrides };
    if (env.KUBECONFIG === 'BADKUBE') {
      const { writeFileSync } = await import('node:fs');
      env.KUBECONFIG = join(world.dir, 'bad-kubeconfig');
      writeFileSync(env.KUBECONFIG, world.kube.kubeconfig().replace(world.kube.token, 'wrong-token'));
    }
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(world.vault.patches).toBe(0);
    expect(world.kube.patches).toHaveLength(0);
    expect(world.github.issues).toHaveLength(0);
  });

  it('--rollback writes the previous version back with cas and force-syncs again', async () => {
    expect((await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir)).code).toBe(0);
    const id = incidentIn(world.dir);
    const r = await runCli(['--rollback', id], world.env, world.dir);
    expect(r.code).toBe(0);
    const versions = world.vault.secrets.get(`${MOUNT}/${DEMO_PATH}`)!;
    expect(versions).toHaveLength(3);
    expect(versions[2]!.data).toEqual(versions[0]!.data);
    expect(esPatches()).toHaveLength(2);
    const again = await runCli(['--rollback', id], world.env, world.dir);
    expect(again.code).toBe(0);
    expect(world.vault.secrets.get(`${MOUNT}/${DEMO_PATH}`)).toHaveLength(3);
    expect(esPatches()).toHaveLength(2);
  });

  it('--rollback refuses when Vault changed after the rotation', async () => {
    expect((await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir)).code).toBe(0);
    world.vault.put(MOUNT, DEMO_PATH, { API_KEY: 'newer', DB_PASSWORD: 'x' });
    const r = await runCli(['--rollback', incidentIn(world.dir)], world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is at version 3, not the rotation\'s 2');
    expect(world.vault.secrets.get(`${MOUNT}/${DEMO_PATH}`)).toHaveLength(3);
  });

  it('--vault-path --property targets a path directly; a missing property is a clear error', async () => {
    const generator = `printf '%s\\n' ${'generated'.repeat(3)}`;
    const ok = await runCli(['--vault-path', `${MOUNT}/${OTHER_PATH}`, '--property', 'API_KEY', '--infra', join(world.dir, 'infra'), '--apply', '--generator', generator], world.env, world.dir);
    expect(ok.code).toBe(0);
    expect(world.vault.current(MOUNT, OTHER_PATH)!.API_KEY).toBe('generated'.repeat(3));
    expect(world.vault.current(MOUNT, OTHER_PATH)!.TIMEOUT).toBe('30');
    expect(esPatches().map((p) => `${p.namespace}/${p.name}`)).toEqual(['xred-eln/other-app-secret']);
    const bad = await runCli(['--vault-path', `${MOUNT}/${OTHER_PATH}`, '--property', 'NOPE', '--issued-by', 'team', '--apply'], world.env, world.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('has no property "NOPE" (it has: API_KEY, TIMEOUT)');
  });
});
