// The incident issue never goes to a public repository unless asked; a private security repository can be configured.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ISSUED, REPO, findingArgs, runCli, startWorld, type World } from './harness.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

/** The user's config file (HOME is the scratch dir in the harness). */
function configure(text: string): void {
  mkdirSync(join(world.dir, '.config', 'spillway'), { recursive: true });
  writeFileSync(join(world.dir, '.config', 'spillway', 'config.toml'), text);
}

const withoutGithub = (...more: string[]) => findingArgs(world, ...more).filter((a, i, all) => a !== '--github' && all[i - 1] !== '--github');

describe('incident issue visibility', () => {
  it('a public repository is refused before any change, naming the ways out', async () => {
    world.github.visibility = 'public';
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`github: ${REPO} is a public repository`);
    expect(r.stderr).toContain('--allow-public-issue');
    expect(r.stderr).toContain('[remediate]');
    expect(world.vault.patches).toBe(0);
    expect(world.kube.patches).toHaveLength(0);
    expect(world.github.issues).toHaveLength(0);
  });

  it('--allow-public-issue opens it there', async () => {
    world.github.visibility = 'public';
    const plan = await runCli(findingArgs(world, '--allow-public-issue'), world.env, world.dir);
    expect(plan.stdout).toContain('labelled security, incident (even if the repository is public: --allow-public-issue)');
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply', '--allow-public-issue'), world.env, world.dir);
    expect(r.code).toBe(0);
    expect(world.github.issues).toHaveLength(1);
  });

  it('private and internal repositories are used as given', async () => {
    world.github.visibility = 'internal';
    const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
    expect(r.code).toBe(0);
    expect(world.github.issues).toHaveLength(1);
  });
});

describe('[remediate] issue-repo', () => {
  it('without --github, the configured security repository gets the issue', async () => {
    configure(`[remediate]\nissue-repo = "${REPO}"\n`);
    const plan = await runCli(withoutGithub(), world.env, world.dir);
    expect(plan.stdout).toContain(`open an issue in ${REPO} labelled security, incident (refused if the repository is public`);
    const r = await runCli(withoutGithub(...ISSUED, '--apply'), world.env, world.dir);
    expect(r.code).toBe(0);
    expect(world.github.issues).toHaveLength(1);
  });

  it('a configured repository that is public is refused too', async () => {
    configure(`[remediate]\nissue-repo = "${REPO}"\n`);
    world.github.visibility = 'public';
    const r = await runCli(withoutGithub(...ISSUED, '--apply'), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a public repository');
    expect(world.vault.patches).toBe(0);
  });

  it('no --github and nothing configured: no issue, and the plan says so; the scanned repository cannot configure one', async () => {
    writeFileSync(join(world.dir, 'scan', '.spillway.toml'), `[remediate]\nissue-repo = "${REPO}"\n`);
    const r = await runCli(withoutGithub(), world.env, world.dir);
    expect(r.stdout).toContain('no --github given and no [remediate] issue-repo configured: no issue is opened');
  });

  it.each([
    ['[remediate]\nissue-repo = "not a repo"\n', '[remediate] issue-repo: expected OWNER/REPO, got "not a repo"'],
    ['[remediate]\nissue-repository = "a/b"\n', '[remediate] issue-repository: unknown key (known: issue-repo)'],
    ['[remediate\n', 'not valid TOML'],
  ])('a setting it cannot honour is refused aloud: %j', async (text, message) => {
    configure(text);
    const r = await runCli(withoutGithub(), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(world.dir, '.config', 'spillway', 'config.toml'));
    expect(r.stderr).toContain(message);
  });
});
