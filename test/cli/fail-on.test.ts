// --fail-on and severities: a credential committed in a dotenv, config or manifest file fails `--fail-on high`.
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { spillway, tree } from './run.js';

// Fake values made for this test (split so that the repository's own scan does not take them for secrets).
const KEY = 'q7Rm2XkP9' + 'vLt4Wz8NbC3yHs';
const CLIENT_VALUE = 'mZ3PmELnO' + 'djiiogUTg2XtLTF';
const DB_VALUE = 'Aiaip631E' + '25YCcPx';
const STRIPE_TEST = 'sk_test_' + '9tbmg7jwW2QYVwN0S4deLLCH';

function commitAll(dir: string): void {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'config');
}

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  template:
    spec:
      containers:
        - name: orders
          env:
            - name: DB_PASSWORD
              value: "${DB_VALUE}"
`;

describe('--fail-on', () => {
  test('a committed .env with an API_KEY fails --fail-on high (exit 1)', async () => {
    const dir = await tree({ '.env': `API_KEY=${KEY}\nDB_HOST=db.internal\n` });
    commitAll(dir);
    const r = await spillway(['scan', '.', '--fail-on', 'high'], { cwd: dir });
    expect(r.stdout).toMatch(/high\s+generic-secret-assignment/);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  test('credentials in a dotenv, a JSON config and a Kubernetes manifest are all high', async () => {
    const dir = await tree({
      '.env': `API_KEY=${KEY}\n`,
      'config/app.json': `{\n  "client_secret": "${CLIENT_VALUE}"\n}\n`,
      'deploy/orders.yaml': MANIFEST,
    });
    commitAll(dir);
    const r = await spillway(['scan', '.', '-f', 'json'], { cwd: dir });
    const findings = JSON.parse(r.stdout).findings as { path: string; severity: string }[];
    expect(findings.map((f) => f.path).sort()).toEqual(['.env', 'config/app.json', 'deploy/orders.yaml']);
    expect(findings.map((f) => f.severity)).toEqual(['high', 'high', 'high']);
  });

  test('--fail-on high passes a low finding, --fail-on none passes anything, any is the default', async () => {
    const dir = await tree({ 'pay.ts': `const stripe = "${STRIPE_TEST}";\n`, '.env': `API_KEY=${KEY}\n` });
    const low = await tree({ 'pay.ts': `const stripe = "${STRIPE_TEST}";\n` });
    expect((await spillway(['scan', '.', '--fail-on', 'high'], { cwd: low })).code).toBe(0);
    expect((await spillway(['scan', '.'], { cwd: low })).code).toBe(1);
    expect((await spillway(['scan', '.', '--fail-on', 'none'], { cwd: dir })).code).toBe(0);
    const bad = await spillway(['scan', '.', '--fail-on', 'medium'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/fail-on/);
  });
});
