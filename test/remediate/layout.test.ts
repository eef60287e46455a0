// The team's layout conventions are configuration ([remediate.layout]); seed 000's are the defaults.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, parseLayout, teamOfStore } from '../../src/remediate/layout.js';
import { FIXTURES, runCli, startWorld, type World } from './harness.js';

describe('parseLayout', () => {
  it('defaults to seed 000: ss-<team>, <team>/<app>/<secret>, api-config, <app>-app-secret', () => {
    expect(parseLayout(undefined, 'f')).toEqual({ sharedStore: 'ss-{team}', path: '{team}/{app}/{secret}', secret: 'api-config', targetName: '{app}-app-secret' });
    expect(parseLayout({ secret: 'runtime' }, 'f')).toEqual({ ...DEFAULT_LAYOUT, secret: 'runtime' });
  });

  it('refuses unknown keys and placeholders, and patterns missing the names they need, naming file and key', () => {
    expect(() => parseLayout({ mount: 'x' }, 'cfg.toml')).toThrow('cfg.toml: [remediate.layout] mount: unknown key (known: shared-store, path, secret, target-name)');
    expect(() => parseLayout({ path: '{team}/{env}/{app}/{secret}' }, 'cfg.toml')).toThrow('cfg.toml: [remediate.layout] path: unknown placeholder {env} (allowed: {team}, {app}, {secret})');
    expect(() => parseLayout({ 'shared-store': 'shared' }, 'cfg.toml')).toThrow('cfg.toml: [remediate.layout] shared-store: must hold {team} exactly once (e.g. "ss-{team}")');
    expect(() => parseLayout({ 'target-name': 3 }, 'cfg.toml')).toThrow('cfg.toml: [remediate.layout] target-name: expected a non-empty string like "{app}-app-secret"');
    expect(() => parseLayout('x', 'cfg.toml')).toThrow('cfg.toml: [remediate.layout] must be a table');
  });

  it('tells the team from a shared store name', () => {
    expect(teamOfStore(DEFAULT_LAYOUT, 'ss-xred-eln')).toBe('xred-eln');
    expect(teamOfStore(DEFAULT_LAYOUT, 'ss-')).toBeUndefined();
    expect(teamOfStore({ ...DEFAULT_LAYOUT, sharedStore: 'eso-{team}-store' }, 'eso-pay-store')).toBe('pay');
    expect(teamOfStore({ ...DEFAULT_LAYOUT, sharedStore: 'eso-{team}-store' }, 'ss-pay')).toBeUndefined();
  });
});

describe('a move plan under a configured layout', () => {
  let world: World;
  let infra: string;
  beforeEach(async () => {
    world = await startWorld();
    infra = join(world.dir, 'move', 'infra');
    cpSync(join(FIXTURES, 'move'), join(world.dir, 'move'), { recursive: true });
    const store = join(infra, 'platform', 'secretstore.yaml');
    writeFileSync(store, readFileSync(store, 'utf8').replace('name: ss-xred-eln', 'name: eso-xred-eln-store'));
    mkdirSync(join(world.dir, '.config', 'spillway'), { recursive: true });
  });
  afterEach(async () => {
    await world.close();
  });

  const args = () => ['--report', join(world.dir, 'scan', 'report.json'), '--finding', '0', '--infra', infra, '--app', 'billing'];

  it('derives the team from the configured store name and names the path and ExternalSecret by its patterns', async () => {
    const before = await runCli(args(), world.env, world.dir);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('no single shared SecretStore named ss-<team>');
    writeFileSync(
      join(world.dir, '.config', 'spillway', 'config.toml'),
      '[remediate.layout]\nshared-store = "eso-{team}-store"\npath = "{team}/apps/{app}/{secret}"\nsecret = "runtime"\ntarget-name = "{app}-runtime"\n',
    );
    const r = await runCli(args(), world.env, world.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('vault kv patch -namespace=minerva-prod/xred-eln apps-prod/xred-eln/apps/billing/runtime API_KEY=-');
    expect(r.stdout).toContain('Add ExternalSecret xred-eln/billing-runtime (SecretStore eso-xred-eln-store, refreshInterval 1m)');
    expect(r.stdout).toContain('key: "xred-eln/apps/billing/runtime"');
  });

  it('a bad layout in the config file is refused, naming the file and key', async () => {
    writeFileSync(join(world.dir, '.config', 'spillway', 'config.toml'), '[remediate.layout]\npath = "{app}"\n');
    const r = await runCli(args(), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('config.toml: [remediate.layout] path: must hold {secret} exactly once');
  });
});
