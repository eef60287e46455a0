// Infrastructure files end to end: format-aware chunks through the built-in detector, exact lines, rules and places.
import { describe, expect, it } from 'vitest';
import { scanFixture, summary } from './helpers.js';

const INFRA_RULES = [
  'dockerfile-copy-secret-file', 'dockerfile-secret-build-arg', 'dockerfile-env-secret', 'dockerfile-run-basic-auth',
  'dockerfile-run-url-credentials', 'dockerfile-run-npm-auth-token', 'dockerfile-run-credential-file', 'compose-environment-secret', 'compose-env-default-secret',
  'compose-env-file', 'k8s-configmap-secret', 'k8s-secret-manifest-value', 'k8s-pod-env-secret', 'kustomize-secret-literal',
  'helm-values-secret',
];

describe('Dockerfile', () => {
  it('finds ENV/ARG values, secret build args, copied secret files and RUN credentials at their physical lines', async () => {
    const { findings, notes } = await scanFixture('dockerfile/leaks/Dockerfile');
    expect(notes).toEqual([]);
    expect(summary(findings, INFRA_RULES)).toEqual([
      '3:5 dockerfile-secret-build-arg dockerfile.arg',
      '6:17 dockerfile-env-secret dockerfile.env', // second line of a continued ENV
      '9:6 dockerfile-copy-secret-file dockerfile.copy',
      '10:19 dockerfile-copy-secret-file dockerfile.copy',
      '11:11 dockerfile-copy-secret-file dockerfile.copy',
      '12:19 dockerfile-copy-secret-file dockerfile.copy',
      '14:44 dockerfile-run-npm-auth-token dockerfile.run',
      '17:25 dockerfile-run-basic-auth dockerfile.run',
      '18:31 dockerfile-run-url-credentials dockerfile.run',
      '21:21 dockerfile-run-basic-auth dockerfile.run', // inside a heredoc
      '23:19 dockerfile-env-secret dockerfile.env', // legacy `ENV KEY value`
    ]);
    const copy = findings.find((f) => f.ruleId === 'dockerfile-copy-secret-file')!;
    expect(copy.secret.reveal()).toBe('.env');
    expect(copy.message).toMatch(/--mount=type=secret/);
    const arg = findings.find((f) => f.ruleId === 'dockerfile-secret-build-arg')!;
    expect(arg.message).toMatch(/image history/);
    expect(findings.find((f) => f.location.startLine === 21)!.secret.reveal()).toBe('H3r3doc-f4ke-pw');
  });

  it('finds nothing in look-alikes (references, secret mounts, .env.example, _FILE variables)', async () => {
    const { findings } = await scanFixture('dockerfile/lookalikes/Dockerfile');
    expect(summary(findings)).toEqual([]);
  });
});

describe('docker-compose', () => {
  it('finds environment (map and list), build args, x- blocks, literal defaults and env_file references', async () => {
    const { findings } = await scanFixture('compose/leaks/docker-compose.yml');
    expect(summary(findings, INFRA_RULES)).toEqual([
      '2:22 compose-environment-secret compose.x-extension',
      '9:20 compose-environment-secret compose.build.args',
      '12:20 compose-environment-secret compose.environment',
      '14:27 compose-env-default-secret compose.environment',
      '16:9 compose-env-file compose.env_file',
      '17:15 compose-env-file compose.env_file',
      '22:24 compose-environment-secret compose.environment',
      '24:15 compose-env-file compose.env_file',
    ]);
    const secrets = findings.filter((f) => f.ruleId === 'compose-env-file').map((f) => f.secret.reveal());
    expect(secrets).toEqual(['.env', './config/prod.env', 'worker.env']);
    expect(findings.find((f) => f.ruleId === 'compose-env-default-secret')!.secret.reveal()).toBe('k3yF4keDefault12345');
  });

  it('finds nothing in look-alikes (${VAR}, ${VAR:?}, harmless defaults, _FILE, booleans, .env.example)', async () => {
    const { findings } = await scanFixture('compose/lookalikes/compose.yaml');
    expect(summary(findings)).toEqual([]);
  });
});

describe('Kubernetes manifests', () => {
  it('finds ConfigMap keys, decoded Secret data, stringData and pod env literals across documents', async () => {
    const { findings, notes } = await scanFixture('kubernetes/leaks/manifests.yaml');
    expect(summary(findings, INFRA_RULES)).toEqual([
      '7:16 k8s-configmap-secret k8s.configmap.data',
      '10:32 k8s-configmap-secret k8s.configmap.data', // inside a block scalar
      '19:13 k8s-secret-manifest-value k8s.secret.data',
      '20:15 k8s-secret-manifest-value k8s.secret.data', // quoted: the column after the quote
      '21:18 k8s-secret-manifest-value k8s.secret.data', // not base64: scanned as it is
      '23:12 k8s-secret-manifest-value k8s.secret.stringData',
      '39:23 k8s-pod-env-secret k8s.pod.env',
    ]);
    const decoded = findings.find((f) => f.location.startLine === 19)!;
    expect(decoded.decodedFrom).toBe('base64');
    expect(decoded.secret.reveal()).toBe('hunter2-f4ke-pw');
    expect(decoded.location).toMatchObject({ startColumn: 13, endLine: 19, endColumn: 13 + 'aHVudGVyMi1mNGtlLXB3'.length });
    expect(decoded.message).toMatch(/decoded from base64/);
    expect(findings.find((f) => f.location.startLine === 7)!.message).toMatch(/ConfigMaps are not for secrets.*ExternalSecret/);
    expect(findings.find((f) => f.location.startLine === 21)!.decodedFrom).toBeUndefined();
    expect(notes).toEqual([
      { level: 'warning', input: 'kubernetes/leaks/manifests.yaml', message: 'line 21: k8s.secret.data value of "broken_secret" is not valid base64: scanned as plain text' },
    ]);
  });

  it('never reports ExternalSecret, SecretStore, secretKeyRef, envFrom, empty or placeholder values', async () => {
    const { findings, notes } = await scanFixture('kubernetes/lookalikes/externalsecret.yaml');
    expect(summary(findings)).toEqual([]);
    expect(notes).toEqual([]);
  });

  it('warns about malformed YAML, naming the file, and scans it as plain text', async () => {
    const { findings, notes } = await scanFixture('kubernetes/malformed/deploy.yaml');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'warning', input: 'kubernetes/malformed/deploy.yaml' });
    expect(notes[0]!.message).toMatch(/^malformed YAML \(line \d+, column \d+: .+\): scanned as plain text$/);
    expect(findings.every((f) => f.place === undefined)).toBe(true);
  });
});

describe('Helm values and Kustomize', () => {
  it('finds secret-named values in values.yaml', async () => {
    const { findings } = await scanFixture('helm/leaks/values.yaml');
    expect(summary(findings, INFRA_RULES)).toEqual(['5:15 helm-values-secret helm.values', '7:12 helm-values-secret helm.values']);
  });

  it('finds nothing in values that reference secrets (existingSecret, empty, key names)', async () => {
    expect(summary((await scanFixture('helm/lookalikes/values-prod.yaml')).findings)).toEqual([]);
  });

  it('finds secretGenerator literals and secret-named configMapGenerator literals', async () => {
    const { findings } = await scanFixture('kustomize/leaks/overlays/prod/kustomization.yaml');
    expect(summary(findings, INFRA_RULES)).toEqual([
      '8:21 kustomize-secret-literal kustomize.secretGenerator',
      '9:19 kustomize-secret-literal kustomize.secretGenerator',
      '14:23 k8s-configmap-secret kustomize.configMapGenerator',
    ]);
  });

  it('finds nothing in generators fed from files or harmless literals', async () => {
    expect(summary((await scanFixture('kustomize/lookalikes/kustomization.yaml')).findings)).toEqual([]);
  });
});
