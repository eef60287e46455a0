// The yaml library loads only when a scan reads a YAML file: a pre-commit scan of source files never pays for it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../src/scan/run-scan.js';

const yamlLoaded = (): boolean => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/yaml/'));
const ENV = { SPILLWAY_FINGERPRINT_KEY: 'lazy-yaml-test' };

describe('the yaml library', () => {
  it('is not loaded by a scan of source files, and is once a manifest is scanned', async () => {
    const root = mkdtempSync(join(tmpdir(), 'spillway-lazy-yaml-'));
    writeFileSync(join(root, 'app.js'), `export const token = '${'ghp_'}${'x'.repeat(36)}';\n`);
    await runScan({ target: { kind: 'files', root, noGit: true, threads: 1 }, env: ENV });
    expect(yamlLoaded()).toBe(false);
    writeFileSync(join(root, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  API_KEY: c2VjcmV0\n');
    await runScan({ target: { kind: 'files', root, noGit: true, threads: 1 }, env: ENV });
    expect(yamlLoaded()).toBe(true);
  });
});
