// A leaked value that no ExternalSecret or VaultStaticSecret reads: the plan moves it to Vault (seed 000 conventions).
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addResource } from '../../src/remediate/kustomization.js';
import { incidentId } from '../../src/remediate/plan.js';
import { FIXTURES, MOUNT, leakedValue, runCli, startWorld, type World } from './harness.js';

const CONFIGMAP = 'k8s/billing/configmap.yaml';

let world: World;
let infra: string;
beforeEach(async () => {
  world = await startWorld();
  infra = join(world.dir, 'move', 'infra');
  cpSync(join(FIXTURES, 'move'), join(world.dir, 'move'), { recursive: true });
  world.vault.put(MOUNT, 'xred-eln/shop/api-config', { STRIPE_KEY: `shop-${'s'.repeat(20)}` });
});
afterEach(async () => {
  await world.close();
});

/** The fake key committed in the billing ConfigMap, read from the fixture. */
function configMapValue(): string {
  return /BILLING_API_KEY: "([^"]+)"/.exec(readFileSync(join(FIXTURES, 'move', 'infra', CONFIGMAP), 'utf8'))![1]!;
}

/** A report of a scan of the infra copy whose one finding is the ConfigMap's key (scan.root exists here). */
function configMapReport(): string {
  const text = readFileSync(join(infra, CONFIGMAP), 'utf8');
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('BILLING_API_KEY')) + 1;
  const col = lines[line - 1]!.indexOf('"') + 2;
  const report = JSON.parse(readFileSync(join(FIXTURES, 'scan', 'report.json'), 'utf8'));
  report.scan.root = infra;
  Object.assign(report.findings[0], {
    fingerprint: 'generic-api-key:k8s/billing/configmap.yaml:0123456789abcdef0123456789abcdef',
    path: CONFIGMAP, startLine: line, endLine: line, startColumn: col, endColumn: col + configMapValue().length,
    secretLength: configMapValue().length, identifier: 'BILLING_API_KEY', provenance: { kind: 'file', path: CONFIGMAP },
  });
  const file = join(world.dir, 'configmap-report.json');
  writeFileSync(file, JSON.stringify(report));
  return file;
}

const envArgs = (...more: string[]) => ['--report', join(world.dir, 'scan', 'report.json'), '--finding', '0', '--infra', infra, ...more];

function expected(incident: string, property: string): string {
  return [
    `# ${property} of the billing app, moved into Vault (incident ${incident}).`,
    'apiVersion: external-secrets.io/v1',
    'kind: ExternalSecret',
    'metadata:',
    '  name: billing-app-secret',
    '  namespace: xred-eln',
    '  annotations:',
    '    argocd.argoproj.io/compare-options: IgnoreExtraneous',
    'spec:',
    '  refreshInterval: "1m"',
    '  secretStoreRef:',
    '    name: ss-xred-eln',
    '    kind: SecretStore',
    '  target:',
    '    name: billing-app-secret',
    '    deletionPolicy: Retain',
    '  data:',
    `  - secretKey: ${property}`,
    '    remoteRef:',
    '      key: "xred-eln/billing/api-config"',
    `      property: ${property}`,
    '',
  ].join('\n');
}

const kustomizationAfter = [
  '# The billing app (see the team guide).',
  'namespace: xred-eln',
  'resources:',
  '  - deployment.yaml   # the API',
  '  - configmap.yaml',
  '  - externalsecret-app.yaml',
  '# images are pinned by CI',
  '',
].join('\n');

describe('a value only in a committed .env', () => {
  it('without --app the app cannot be derived: the error names the flag', async () => {
    const r = await runCli(envArgs(), world.env, world.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--app: cannot derive the app');
  });

  it('plan: says it is not in Vault, gives the exact vault kv patch command (value from stdin) and the ExternalSecret', async () => {
    const r = await runCli(envArgs('--app', 'billing'), world.env, world.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const incident = incidentId('generic-api-key:.env:9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e');
    expect(r.stdout).toContain('Not in Vault: no ExternalSecret or VaultStaticSecret in --infra references API_KEY, and Vault holds the leaked value at none of the 1 path(s) they read. The value lives only in .env');
    expect(r.stdout).toContain('\n     vault kv patch -namespace=minerva-prod/xred-eln apps-prod/xred-eln/billing/api-config API_KEY=-\n');
    expect(r.stdout).toContain('Add ExternalSecret xred-eln/billing-app-secret (SecretStore ss-xred-eln, refreshInterval 1m): add k8s/billing/externalsecret-app.yaml to the infra repository and list it in the resources of k8s/billing/kustomization.yaml');
    expect(r.stdout).toContain(expected(incident, 'API_KEY').trimEnd().split('\n').map((l) => `     ${l}`).join('\n'));
    expect(r.stdout).toContain('Remove API_KEY from .env');
    expect(r.stdout).toContain('git filter-repo --invert-paths --path .env');
    expect(world.vault.patches).toBe(0);
    expect(readdirSync(join(infra, 'k8s', 'billing')).sort()).toEqual(['configmap.yaml', 'deployment.yaml', 'kustomization.yaml']);
  });

  it('--team/--mount/--secret override what the SecretStore says', async () => {
    const r = await runCli(envArgs('--app', 'billing', '--team', 'payments', '--mount', 'apps-uat', '--secret', 'stripe'), world.env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('vault kv patch apps-uat/payments/billing/stripe API_KEY=-');
    expect(r.stdout).toContain('SecretStore ss-payments');
  });
});

describe('a value only in a ConfigMap of the infra repository', () => {
  it('--apply --gitops writes the ExternalSecret and adds it to kustomization.yaml, keeping comments; a re-run sees the new reference and changes nothing', async () => {
    const report = configMapReport();
    const args = ['--report', report, '--finding', '0', '--infra', infra, '--apply', '--gitops'];
    const r = await runCli(args, world.env, world.dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const incident = incidentId('generic-api-key:k8s/billing/configmap.yaml:0123456789abcdef0123456789abcdef');
    expect(r.stdout).toContain('vault kv patch -namespace=minerva-prod/xred-eln apps-prod/xred-eln/billing/api-config BILLING_API_KEY=-');
    expect(r.stdout).toContain('--apply --gitops writes k8s/billing/externalsecret-app.yaml and adds it to k8s/billing/kustomization.yaml');
    expect(r.stdout).toContain(`Wrote k8s/billing/externalsecret-app.yaml, k8s/billing/kustomization.yaml in ${infra}`);
    expect(readFileSync(join(infra, 'k8s', 'billing', 'externalsecret-app.yaml'), 'utf8')).toBe(expected(incident, 'BILLING_API_KEY'));
    expect(readFileSync(join(infra, 'k8s', 'billing', 'kustomization.yaml'), 'utf8')).toBe(kustomizationAfter);
    expect(world.vault.patches).toBe(0);
    expect(world.kube.patches).toEqual([]);

    const again = await runCli(args, world.env, world.dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${MOUNT}/xred-eln/billing/api-config#BILLING_API_KEY (read by xred-eln/billing-app-secret)`);
    expect(readFileSync(join(infra, 'k8s', 'billing', 'kustomization.yaml'), 'utf8')).toBe(kustomizationAfter);

    const secrets = [configMapValue(), leakedValue()];
    const written = ['externalsecret-app.yaml', 'kustomization.yaml'].map((f) => readFileSync(join(infra, 'k8s', 'billing', f), 'utf8'));
    const plan = await runCli(envArgs('--app', 'billing'), world.env, world.dir);
    for (const text of [r.stdout, r.stderr, again.stdout, again.stderr, plan.stdout, plan.stderr, ...written]) {
      for (const value of secrets) {
        for (const form of [value, Buffer.from(value).toString('base64'), encodeURIComponent(value), Buffer.from(value).toString('hex')]) expect(text.includes(form)).toBe(false);
      }
    }
    expect(r.stdout).toContain(`value …(${configMapValue().length} chars)`);
  });

  it('a different file already at the ExternalSecret\'s place is not overwritten', async () => {
    const report = configMapReport();
    const args = ['--report', report, '--finding', '0', '--infra', infra, '--apply', '--gitops'];
    writeFileSync(join(infra, 'k8s', 'billing', 'externalsecret-app.yaml'), '# taken\n');
    const r = await runCli(args, world.env, world.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('k8s/billing/externalsecret-billing-app-secret.yaml');
    expect(readFileSync(join(infra, 'k8s', 'billing', 'externalsecret-app.yaml'), 'utf8')).toBe('# taken\n');
    expect(readFileSync(join(infra, 'k8s', 'billing', 'kustomization.yaml'), 'utf8')).toContain('  - externalsecret-billing-app-secret.yaml\n');
  });
});

describe('addResource', () => {
  it('adds to a block list in its style, creates resources when missing, and leaves a listed file alone', () => {
    expect(addResource('resources:\n- a.yaml # first\n', 'b.yaml')).toBe('resources:\n- a.yaml # first\n- b.yaml\n');
    expect(addResource('namespace: x\n', 'b.yaml')).toBe('namespace: x\nresources:\n  - b.yaml\n');
    expect(addResource('resources:\n  - b.yaml\n', 'b.yaml')).toBe('resources:\n  - b.yaml\n');
    expect(addResource('resources: [a.yaml]\n', 'b.yaml')).toBe('resources: [ a.yaml, b.yaml ]\n');
    expect(() => addResource('resources: nope\n', 'b.yaml')).toThrow('resources: is not a list');
  });
});
