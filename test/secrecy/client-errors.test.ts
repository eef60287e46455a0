// Errors from the Vault, Kubernetes and GitHub clients never carry a token: not in the message, the stack, the
// cause chain or any property, even when the service answers 401/403/500 and echoes the request back.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectGitHub } from '../../src/remediate/github/client.js';
import { clusterFromEnv, vaultFromEnv } from '../../src/remediate/session.js';
import { DEMO_PATH, GITHUB_TOKEN, ISSUED, ISSUED_KEY, KUBE_TOKEN, MOUNT, REPO, VAULT_TOKEN, findingArgs, leakedValue, runCli, startWorld, type World } from '../remediate/harness.js';
import { requestGate } from '../remediate/servers/http-util.js';
import { leaksIn } from './leak-check.js';

const TOKENS = [VAULT_TOKEN, KUBE_TOKEN, GITHUB_TOKEN];

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  requestGate.before = undefined;
  await world.close();
});

/** Answers every request with `status`; `echo` puts the request's credentials and URL into the body, as a careless proxy might. */
function failEvery(status: number, echo: boolean): void {
  requestGate.before = async (req: IncomingMessage, res: ServerResponse) => {
    const creds = `${req.headers.authorization ?? ''} ${String(req.headers['x-vault-token'] ?? '')} ${req.url}`;
    const message = echo ? `request ${creds} denied` : status >= 500 ? 'internal error' : 'permission denied';
    res.writeHead(status, { 'Content-Type': 'application/json', 'Retry-After': '0' });
    res.end(JSON.stringify({ errors: [message], message, kind: 'Status', apiVersion: 'v1', status: 'Failure', code: status }));
    return false;
  };
}

/** Everything an error could show: message, stack, every property and cause, as inspect and JSON see them. */
function everythingIn(err: unknown): string {
  const parts = [inspect(err, { depth: 20, showHidden: true })];
  for (let e: unknown = err; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? '', JSON.stringify(e, Object.getOwnPropertyNames(e)));
  return parts.join('\n');
}

async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe.each([
  [401, false],
  [403, false],
  [500, false],
  [401, true],
  [500, true],
])('every client, the service answering %i (echoing the request: %s)', (status, echo) => {
  it('throws errors that name the service and hold no token', { timeout: 60_000 }, async () => {
    failEvery(status, echo);
    const errors: Record<string, unknown> = {
      vault: await failure(async () => (await vaultFromEnv(world.env)).read(MOUNT, DEMO_PATH)),
      kubernetes: await failure(async () => (await clusterFromEnv(world.env)).cluster!.getExternalSecret({ namespace: 'xred-eln', name: 'demo-app-secret' })),
      github: await failure(async () => connectGitHub(world.env).checkAccess({ owner: REPO.split('/')[0]!, repo: REPO.split('/')[1]! })),
    };
    for (const [service, err] of Object.entries(errors)) {
      expect((err as Error).message, service).toContain(service);
      expect(leaksIn(everythingIn(err), TOKENS), `${service}: ${everythingIn(err).slice(0, 400)}`).toEqual([]);
    }
  });
});

it('a remediation run with a wrong token for each service prints, journals and records no token', { timeout: 60_000 }, async () => {
  const wrong = { VAULT_TOKEN: `${VAULT_TOKEN.slice(0, -4)}0000`, GITHUB_TOKEN: `${GITHUB_TOKEN.slice(0, -4)}0000` };
  const outputs: string[] = [];
  for (const [name, value] of Object.entries(wrong)) {
    const r = await runCli(findingArgs(world, '--apply'), { ...world.env, [name]: value }, world.dir);
    expect(r.code, name).toBe(2);
    outputs.push(r.stdout, r.stderr);
    expect(leaksIn(r.stdout + r.stderr, [...TOKENS, ...Object.values(wrong)]), name).toEqual([]);
  }
  expect(outputs.join('')).toMatch(/vault/i);
});

it('a Vault 400 echoing the new and the old value reaches neither the output nor the journal', { timeout: 60_000 }, async () => {
  // The new value is the one the --generator issues; a careless Vault (or proxy) puts both values in its error.
  requestGate.before = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'PATCH') return true;
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ errors: [`invalid data: new ${ISSUED_KEY}, was ${leakedValue()}`] }));
    return false;
  };
  const r = await runCli(findingArgs(world, ...ISSUED, '--apply'), world.env, world.dir);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain('invalid data: new [REDACTED], was [REDACTED]');
  const folder = join(world.dir, '.spillway', 'incidents');
  const journal = readdirSync(folder).map((f) => readFileSync(join(folder, f), 'utf8')).join('\n');
  expect(journal).toContain('[REDACTED]');
  expect(leaksIn(r.stdout + r.stderr + journal, [leakedValue(), ISSUED_KEY, ...TOKENS])).toEqual([]);
});
