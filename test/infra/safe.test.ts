// Encrypted and referenced secrets: never a finding; a SOPS file with plain values and a Secret beside its SealedSecret are.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunksForFile } from '../../src/sources/file-chunks.js';
import { loadConfig } from '../../src/config/load.js';
import { scanFiles } from '../../src/scan/files.js';
import { builtinDetector, TEST_FINGERPRINT_KEY } from '../helpers/detector.js';
import { FIXTURES, scanFixture, summary } from './helpers.js';

/** Every file under fixtures/infra/<dir>, relative to fixtures/infra. */
function filesUnder(dir: string): string[] {
  const walk = (path: string): string[] => (statSync(path).isDirectory() ? readdirSync(path).flatMap((f) => walk(join(path, f))) : [path]);
  return walk(join(FIXTURES, dir)).map((file) => file.slice(FIXTURES.length + 1)).sort();
}

describe('encrypted and referenced secrets are never findings', () => {
  const cases = filesUnder('safe');

  it('covers every case of the issue', () => {
    const folders = new Set(cases.map((file) => file.split('/')[1]));
    expect([...folders].sort()).toEqual([
      'ansible-vault', 'csi', 'helm-secret-mounts', 'sealed-secret', 'secret-refs', 'sops-config', 'sops-env', 'sops-ini',
      'sops-json', 'sops-k8s', 'sops-yaml', 'vso',
    ]);
  });

  it.each(cases)('%s: no finding, no warning', async (file) => {
    const { findings, notes } = await scanFixture(file);
    expect(summary(findings)).toEqual([]);
    expect(notes).toEqual([]);
  });

  it('never hands SOPS ciphertext, the sops block or an Ansible Vault blob to the detector', () => {
    for (const file of ['safe/sops-yaml/secrets.sops.yaml', 'safe/sops-json/secrets.json', 'safe/sops-env/prod.env', 'safe/sops-ini/app.ini', 'safe/sops-k8s/secret.enc.yaml', 'safe/ansible-vault/vault.yml', 'safe/ansible-vault/group_vars.yml']) {
      const text = chunksForFile(file, readFixture(file)).chunks.map((c) => c.text).join('\n');
      expect(text, file).not.toMatch(/ENC\[|BEGIN AGE|BEGIN PGP|\$ANSIBLE_VAULT|sops_mac|^\s*mac\s*[:=]|[0-9a-f]{40}/m);
    }
  });

  it('keeps lines: what is left of a SOPS file is still scanned where it stands', () => {
    const { chunks } = chunksForFile('safe/sops-yaml/secrets.sops.yaml', readFixture('safe/sops-yaml/secrets.sops.yaml'));
    const text = chunks.map((c) => c.text).join('\n');
    expect(text.split('\n')[5]).toBe('region_unencrypted: eu-west-1');
  });

  it('still finds a provider token an author left unencrypted on purpose (unencrypted_suffix)', async () => {
    const token = 'ghp_' + 'ygMwVw2ztvNkHh1bf3JhF2JdJYJWKa3yQFGq'; // the checksum-valid fake of rules/github.toml
    const text = readFixture('safe/sops-yaml/secrets.sops.yaml').replace('region_unencrypted: eu-west-1', `token_unencrypted: ${token}`);
    const detector = await builtinDetector();
    const found = chunksForFile('secrets.sops.yaml', text).chunks.flatMap((c) => detector.detect(c));
    expect(found.map((f) => `${f.location.startLine}:${f.location.startColumn} ${f.ruleId}`)).toContain('6:20 github-pat');
  });
});

describe('SOPS files with plain values', () => {
  it.each([
    ['encrypted/sops-decrypted/secrets.sops.yaml', ['4:15 sops-unencrypted-value sops.unencrypted', '6:12 sops-unencrypted-value sops.unencrypted']],
    ['encrypted/sops-metadata-plain/config.yaml', ['3:14 sops-unencrypted-value sops.unencrypted']],
    ['encrypted/sops-k8s-decrypted/secret.yaml', ['8:15 sops-unencrypted-value sops.unencrypted', '10:16 sops-unencrypted-value sops.unencrypted']],
    ['encrypted/sops-json/secrets.json', ['4:22 sops-unencrypted-value sops.unencrypted']],
    ['encrypted/sops-env/prod.env', ['2:12 sops-unencrypted-value sops.unencrypted']],
    ['encrypted/sops-ini/app.ini', ['2:12 sops-unencrypted-value sops.unencrypted']],
  ])('%s', async (file, expected) => {
    const { findings, notes } = await scanFixture(file);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual(expected);
    for (const finding of findings) {
      expect(finding.location.path).toBe(file);
      expect(finding.message).toMatch(/decrypted file was committed/);
      expect(finding.message).toMatch(/sops encrypt --in-place/);
    }
  });

  it('reports the plain value itself, not the key or the ciphertext next to it', async () => {
    const { findings } = await scanFixture('encrypted/sops-metadata-plain/config.yaml');
    expect(findings.map((f) => f.secret.reveal())).toEqual(['Pl41nAdd3d-fake-key']);
  });

  it('checks no plain value when the metadata regex does not compile, and says so', () => {
    const text = 'password: hunter2-fake\nsops:\n    mac: x\n    encrypted_regex: ^(data\n    version: 3.8.1\n';
    const { chunks, notes } = chunksForFile('broken.yaml', text);
    expect(chunks.filter((c) => c.place === 'sops.unencrypted')).toEqual([]);
    expect(notes).toEqual([{ level: 'warning', input: 'broken.yaml', message: 'sops metadata: encrypted_regex does not compile: plain values in this file are not checked' }]);
  });
});

describe('a Secret committed next to its SealedSecret', () => {
  it('is a finding at the Secret\'s name, besides the findings on its values', async () => {
    const { findings, notes } = await scanFixture('encrypted/sealed-twin/db.yaml');
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual([
      '5:3 k8s-secret-beside-sealedsecret k8s.secret.unsealed',
      '8:13 k8s-secret-manifest-value k8s.secret.stringData',
    ]);
    const twin = findings.find((f) => f.ruleId === 'k8s-secret-beside-sealedsecret')!;
    expect(twin.message).toMatch(/SealedSecret of the same name/);
    expect(twin.secret.reveal()).toBe('name: db');
  });

  it('matches the Secret a SealedSecret creates (spec.template.metadata.name), not one in another namespace', () => {
    const sealed = 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: sealed-db\n  namespace: prod\nspec:\n  template:\n    metadata:\n      name: db\n';
    const secret = (ns: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: ${ns}\n---\n`;
    const places = (text: string): string[] => chunksForFile('k8s/db.yaml', text).chunks.map((c) => c.place ?? '-');
    expect(places(secret('prod') + sealed)).toContain('k8s.secret.unsealed');
    expect(places(secret('staging') + sealed)).not.toContain('k8s.secret.unsealed');
  });
});

function readFixture(file: string): string {
  return readFileSync(join(FIXTURES, file), 'utf8');
}

describe('a Secret committed in the same folder as its SealedSecret (file scan)', () => {
  it('is a finding at the Secret\'s name, in the Secret\'s file only; other folders and other names are not', async () => {
    const config = await loadConfig({ root: '/nonexistent-spillway-root' });
    const root = join(FIXTURES, 'encrypted/sealed-folder');
    const { findings, notes } = await scanFiles({ root, noGit: true, threads: 1, config, fingerprintKey: TEST_FINGERPRINT_KEY });
    expect(notes).toEqual([]);
    expect(findings.map((f) => `${f.location.path}:${f.location.startLine}:${f.location.startColumn} ${f.ruleId}`)).toEqual([
      'db-secret.yaml:5:3 k8s-secret-beside-sealedsecret',
      'db-secret.yaml:8:13 k8s-secret-manifest-value',
    ]);
    expect(findings[0]!.message).toMatch(/another file of the same folder/);
  });
});

describe('SOPS JSON on one line', () => {
  it('is still a SOPS file: its metadata is blanked and a plain value is reported', () => {
    const mac = 'ENC[AES256_GCM,data:F4k3,iv:Mn1O=,tag:Zx8C==,type:str]';
    const text = `{"api_key":"Pl41n-m1n-fake","sops":{"kms":[{"enc":"AQICAHh${'Qw9Er8Ty'.repeat(8)}"}],"mac":"${mac}","version":"3.8.1"}}\n`;
    const { chunks } = chunksForFile('secrets.json', text);
    expect(chunks.map((c) => c.place ?? '-')).toEqual(['-', 'sops.unencrypted']);
    for (const chunk of chunks) expect(chunk.text).not.toMatch(/AQICAHh|ENC\[/);
    expect(chunks[1]!.text).toContain('"api_key":"Pl41n-m1n-fake"');
  });
});
