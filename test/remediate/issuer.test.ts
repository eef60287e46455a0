// Who issues a secret decides where the new value comes from: random only for the team's own secrets.
import { PassThrough, Readable } from 'node:stream';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/secret.js';
import { valueFromStdin } from '../../src/remediate/generate.js';
import { issuerOf } from '../../src/remediate/issuer.js';
import { DEMO_PATH, MOUNT, findingArgs, leakedValue, runCli, startWorld, type World } from './harness.js';

describe('issuerOf', () => {
  it.each([
    [{ property: 'API_KEY' }, 'provider', 'API_KEY names a key or token a provider issues'],
    [{ property: 'token', ruleId: 'github-pat' }, 'provider', 'rule github-pat finds credentials its service issues'],
    [{ property: 'DB_PASSWORD', value: new Secret(['ghp', 'a'.repeat(36)].join('_')) }, 'provider', 'the value has the form of a GitHub credential'],
    [{ property: 'key', value: new Secret(['sk', 'live', 'b'.repeat(24)].join('_')) }, 'provider', 'Stripe'],
    [{ property: 'aws', value: new Secret(`AKIA${'C'.repeat(16)}`) }, 'provider', 'AWS'],
    [{ property: 'DB_PASSWORD', ruleId: 'generic-secret-assignment' }, 'team', 'DB_PASSWORD names a password or key the team sets itself'],
    [{ property: 'postgres', identifier: 'INTERNAL_SERVICE_TOKEN', ruleId: 'postgres-url-password' }, 'team', 'INTERNAL_SERVICE_TOKEN'],
    [{ property: 'value' }, 'provider', 'does not say who issues it, so it counts as provider-issued (give --issued-by team'],
    [{ property: 'API_KEY', override: 'team' as const }, 'team', 'as --issued-by says'],
  ])('%o is %s-issued', (input, by, reason) => {
    const issuer = issuerOf(input);
    expect(issuer.by).toBe(by);
    expect(issuer.reason).toContain(reason);
  });
});

describe('remediate: the new value of a provider-issued secret', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('the plan says a provider issues API_KEY and where the new value must come from', async () => {
    const r = await runCli(findingArgs(world), world.env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Issued by: a provider (API_KEY names a key or token a provider issues): the new value must be issued by the provider');
    expect(r.stdout).toContain('PATCH only "API_KEY" to the value the provider issues (not given yet: --apply refuses a random value for it; give --value-stdin or --generator)');
  });

  it('--apply without a new value refuses before any change', async () => {
    const r = await runCli(findingArgs(world, '--apply'), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('API_KEY is issued by a provider');
    expect(r.stderr).toContain('a random value would not be a valid credential');
    expect(world.vault.patches).toBe(0);
    expect(world.kube.patches).toHaveLength(0);
    expect(world.github.issues).toHaveLength(0);
  });

  it('--value-stdin takes the value the provider issued', async () => {
    const issued = ['Given', 'g'.repeat(35)].join('');
    const r = await runCli(findingArgs(world, '--apply', '--value-stdin'), world.env, world.dir, Readable.from([`${issued}\n`]));
    expect(r.code).toBe(0);
    expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(issued);
    expect(r.stdout + r.stderr).not.toContain(issued);
  });

  it('a team-issued password is rotated to a random value with its length and character classes', async () => {
    const before = String(world.vault.current(MOUNT, DEMO_PATH)!.DB_PASSWORD);
    const argv = ['--vault-path', `${MOUNT}/${DEMO_PATH}`, '--property', 'DB_PASSWORD', '--infra', join(world.dir, 'infra')];
    const plan = await runCli(argv, world.env, world.dir);
    expect(plan.stdout).toContain('Issued by: the team (DB_PASSWORD names a password or key the team sets itself): a random value is a valid new one');
    expect(plan.stdout).toContain('Set the new value where it is checked (the database user, the service that verifies it)');
    const r = await runCli([...argv, '--apply'], world.env, world.dir);
    expect(r.code).toBe(0);
    const after = String(world.vault.current(MOUNT, DEMO_PATH)!.DB_PASSWORD);
    expect(after).not.toBe(before);
    expect(after).toHaveLength(before.length);
    expect(after).toMatch(/^[a-z0-9-]+$/);
    expect(world.vault.current(MOUNT, DEMO_PATH)!.API_KEY).toBe(leakedValue());
  });
});

describe('--value-stdin at a terminal', () => {
  it('reads the line with echo off, after a prompt that shows nothing of it', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, modes: [] as boolean[], setRawMode(raw: boolean) { tty.modes.push(raw); return tty; } });
    const prompts: string[] = [];
    const reading = valueFromStdin(tty, (t) => prompts.push(t));
    tty.write('abcx\u007fd');
    tty.write('\r');
    const value = await reading;
    expect(value.reveal()).toBe('abcd');
    expect(tty.modes).toEqual([true, false]);
    expect(prompts.join('')).toContain('input hidden');
    expect(prompts.join('')).not.toContain('abc');
  });

  it('Ctrl-C cancels and restores the terminal', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, modes: [] as boolean[], setRawMode(raw: boolean) { tty.modes.push(raw); return tty; } });
    const reading = valueFromStdin(tty);
    tty.write('ab\u0003');
    await expect(reading).rejects.toThrow('--value-stdin: cancelled (Ctrl-C)');
    expect(tty.modes).toEqual([true, false]);
  });
});
