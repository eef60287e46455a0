// --gitops edits: only the force-sync line changes; comments, quoting and indentation stay.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setForceSync } from '../../src/remediate/gitops.js';
import { FIXTURES } from './harness.js';

const manifest = readFileSync(join(FIXTURES, 'infra', 'k8s', 'demo', 'externalsecret-app.yaml'), 'utf8');

function diffLines(a: string, b: string): { removed: string[]; added: string[] } {
  const al = a.split('\n');
  const bl = b.split('\n');
  return { removed: al.filter((l) => !bl.includes(l)), added: bl.filter((l) => !al.includes(l)) };
}

describe('setForceSync', () => {
  it('adds one line under existing annotations, touching nothing else', () => {
    const out = setForceSync(manifest, 'demo-app-secret', '1700000000')!;
    expect(diffLines(manifest, out)).toEqual({ removed: [], added: ['    force-sync: "1700000000"'] });
    expect(out.indexOf('force-sync')).toBeGreaterThan(out.indexOf('argocd.argoproj.io/compare-options'));
    expect(out).toContain('name: demo-app-secret   # keep in sync with the Deployment');
  });

  it('replaces an existing value in place', () => {
    const once = setForceSync(manifest, 'demo-app-secret', '1700000000')!;
    const twice = setForceSync(once, 'demo-app-secret', '1800000000')!;
    expect(diffLines(once, twice)).toEqual({ removed: ['    force-sync: "1700000000"'], added: ['    force-sync: "1800000000"'] });
  });

  it('adds an annotations block when there is none, in the right document of a multi-document file', () => {
    const text = `# first\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: es\n  labels:\n    app: x # label\nspec:\n  data: []\n`;
    const out = setForceSync(text, 'es', '42')!;
    expect(out).toBe(text.replace('    app: x # label\n', '    app: x # label\n  annotations:\n    force-sync: "42"\n'));
  });

  it('falls back to re-serialising only that document for flow-style metadata, and ignores other names', () => {
    const text = `apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es, namespace: n}\nspec: {}\n`;
    const out = setForceSync(text, 'es', '7')!;
    expect(out).toContain('force-sync: "7"');
    expect(setForceSync(text, 'nope', '7')).toBeUndefined();
  });
});
