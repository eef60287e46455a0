// `spillway scan --verify` end to end: the real CLI, a local Vault on 127.0.0.1 reached through VAULT_ADDR, the SSRF guard.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { REPO, spillway, tree } from '../cli/run.js';
import { tokens } from './findings.js';
import { startProviderServer, type ProviderServer } from './provider-server.js';

const RULES = join(REPO, 'fixtures/verify/rules.toml');
const GOOD = tokens(700);
const BAD = tokens(800);
const OTHER = 'ftk_' + 'Zq8Wm3Xk2Lp7Vn4Bc9Rt6Yu1';

let server: ProviderServer;
let dir: string;

beforeAll(async () => {
  server = await startProviderServer(GOOD);
  dir = await tree({ 'deploy.sh': `VAULT_TOKEN=${GOOD.vault}\nOLD_TOKEN=${BAD.vault}\nOTHER=${OTHER}\n` });
});
afterAll(() => server.close());

interface JsonReport {
  findings: { ruleId: string; validation?: string; startLine: number }[];
}

const validations = (stdout: string): [number, string | undefined][] =>
  (JSON.parse(stdout) as JsonReport).findings.map((f) => [f.startLine, f.validation]);

function expectNoSecret(text: string): void {
  for (const s of [GOOD.vault, BAD.vault]) expect(text).not.toContain(s.slice(4));
}

describe('spillway scan --verify', () => {
  test('off by default: no request, no validation', async () => {
    server.seen.length = 0;
    const r = await spillway(['scan', '.', '--config', RULES, '-f', 'json'], { cwd: dir, env: { VAULT_ADDR: server.url } });
    expect(r.code).toBe(1);
    expect(validations(r.stdout)).toEqual([[1, undefined], [2, undefined], [3, undefined]]);
    expect(server.seen).toHaveLength(0);
  });

  test('the SSRF guard: a VAULT_ADDR on 127.0.0.1 is refused without --allow-internal; nothing is sent', async () => {
    server.seen.length = 0;
    const r = await spillway(['scan', '.', '--config', RULES, '-f', 'json', '--verify'], { cwd: dir, env: { VAULT_ADDR: `https://127.0.0.1:${server.port}` } });
    expect(r.code).toBe(1);
    expect(validations(r.stdout)).toEqual([[1, 'unknown'], [2, 'unknown'], [3, undefined]]);
    expect(r.stderr).toMatch(/refused to send a secret to 127\.0\.0\.1/);
    expect(server.seen).toHaveLength(0);
    expectNoSecret(r.stdout + r.stderr);
  });

  test('--allow-internal: active and inactive in JSON, SARIF and text; each token checked once', async () => {
    server.seen.length = 0;
    const env = { VAULT_ADDR: server.url };
    const json = await spillway(['scan', '.', '--config', RULES, '-f', 'json', '--verify', '--allow-internal'], { cwd: dir, env });
    expect(validations(json.stdout)).toEqual([[1, 'verified-active'], [2, 'verified-inactive'], [3, undefined]]);
    expect(server.seen).toHaveLength(2);
    const sarif = await spillway(['scan', '.', '--config', RULES, '-f', 'sarif', '--verify', '--allow-internal'], { cwd: dir, env });
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { properties: { validation?: string } }[] }[] }).runs[0]!.results;
    expect(results.map((x) => x.properties.validation).sort()).toEqual(['verified-active', 'verified-inactive', undefined].sort());
    const text = await spillway(['scan', '.', '--config', RULES, '--verify', '--allow-internal'], { cwd: dir, env });
    expect(text.stdout).toMatch(/vault-service-token .*[(, ]verified-active\)/);
    expect(text.stdout).toMatch(/vault-service-token .*[(, ]verified-inactive\)/);
    expectNoSecret(json.stdout + json.stderr + sarif.stdout + sarif.stderr + text.stdout + text.stderr);
  });

  test('--only-verified keeps the active ones; none active exits 0', async () => {
    const only = await spillway(['scan', '.', '--config', RULES, '-f', 'json', '--only-verified', '--allow-internal'], { cwd: dir, env: { VAULT_ADDR: server.url } });
    expect(only.code).toBe(1);
    expect(validations(only.stdout)).toEqual([[1, 'verified-active']]);
    const none = await tree({ 'old.sh': `VAULT_TOKEN=${BAD.vault}\n` });
    const r = await spillway(['scan', '.', '--config', RULES, '--only-verified', '--allow-internal'], { cwd: none, env: { VAULT_ADDR: server.url } });
    expect(r.stdout).toMatch(/No secrets found/);
    expect(r.code).toBe(0);
  });
});
