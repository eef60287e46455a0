// The infrastructure rules are place-bound: they fire only in the chunks their sources place, never in plain text.
// (test/rules/catalogue.test.ts checks every example and counterexample through chunksForFile.)
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { builtinDetector } from '../helpers/detector.js';

const FILES = ['rules/dockerfile.toml', 'rules/compose.toml', 'rules/kubernetes.toml', 'rules/sops.toml'];
const config = await loadConfig({ root: '/nonexistent-spillway-root' });
const rules = config.rules.filter((rule) => rule.source !== undefined && FILES.includes(rule.source));

describe('infrastructure rules', () => {
  it('load without problems', () => {
    expect(config.problems.filter((p) => FILES.includes(p.file ?? ''))).toEqual([]);
    expect(rules.map((r) => r.id).sort()).toEqual([
      'compose-env-default-secret', 'compose-env-file', 'compose-environment-secret', 'dockerfile-copy-secret-file',
      'dockerfile-env-secret', 'dockerfile-run-basic-auth', 'dockerfile-run-credential-file', 'dockerfile-run-npm-auth-token',
      'dockerfile-run-url-credentials', 'dockerfile-secret-build-arg', 'helm-values-secret', 'k8s-configmap-secret',
      'k8s-pod-env-secret', 'k8s-secret-beside-sealedsecret', 'k8s-secret-manifest-value', 'kustomize-secret-literal',
      'sops-unencrypted-value',
    ]);
  });

  it.each(rules.map((r) => ({ id: r.id, rule: r })))('$id is bound to a place and finds nothing in an unplaced chunk', async ({ rule }) => {
    expect(rule.place).toBeTruthy();
    const detector = await builtinDetector();
    for (const example of rule.examples) {
      const found = detector.detect({ text: example.text, provenance: { kind: 'file', path: example.path ?? 'example.txt' } });
      expect(found.map((f) => f.ruleId)).not.toContain(rule.id);
    }
  });
});
