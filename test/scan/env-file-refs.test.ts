// A compose env_file reference is reported only when the file it names is part of the repository.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { confirmEnvFileRefs } from '../../src/scan/env-file-refs.js';
import { scanFiles } from '../../src/scan/files.js';
import { Secret } from '../../src/secret.js';
import type { Finding } from '../../src/types.js';
import { TEST_FINGERPRINT_KEY } from '../helpers/detector.js';

function envFileFinding(composePath: string, ref: string): Finding {
  return {
    ruleId: 'compose-env-file', description: 'env_file', severity: 'medium', confidence: 'low', tags: [], fingerprint: 'fp',
    location: { path: composePath, startLine: 3, startColumn: 15, endLine: 3, endColumn: 15 + ref.length },
    provenance: { kind: 'file', path: composePath }, secret: new Secret(ref), match: new Secret(ref), line: new Secret(`env_file: ${ref}`),
  };
}

describe('confirmEnvFileRefs', () => {
  test('resolves the reference against the compose file folder; keeps it only when that file was scanned', () => {
    const scanned = new Set(['deploy/docker-compose.yml', 'deploy/prod.env', 'shared.env']);
    const kept = confirmEnvFileRefs(
      [envFileFinding('deploy/docker-compose.yml', './prod.env'), envFileFinding('deploy/docker-compose.yml', '../shared.env'), envFileFinding('deploy/docker-compose.yml', '.env')],
      scanned,
    );
    expect(kept.map((f) => f.secret.reveal())).toEqual(['./prod.env', '../shared.env']);
    expect(kept[0]?.message).toMatch(/deploy\/prod\.env is in the repository/);
  });
});

describe('scanFiles and env_file', () => {
  const compose = 'services:\n  api:\n    image: app\n    env_file: .env\n';
  async function scan(gitignoreEnv: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'spillway-envfile-'));
    writeFileSync(join(dir, 'docker-compose.yml'), compose);
    writeFileSync(join(dir, '.env'), 'LOG_LEVEL=debug\n');
    if (gitignoreEnv) writeFileSync(join(dir, '.gitignore'), '.env\n');
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const config = await loadConfig({ root: '/nonexistent-spillway-root' });
    const { findings } = await scanFiles({ root: dir, threads: 1, config, fingerprintKey: TEST_FINGERPRINT_KEY });
    return findings.filter((f) => f.ruleId === 'compose-env-file');
  }

  test('an env file git ignores is the right practice: no finding', async () => {
    expect(await scan(true)).toEqual([]);
  });

  test('an env file in the repository is reported at the reference, saying it is committed', async () => {
    const found = await scan(false);
    expect(found.map((f) => [f.location.path, f.location.startLine])).toEqual([['docker-compose.yml', 4]]);
    expect(found[0]?.message).toMatch(/\.env is in the repository and not ignored by git/);
  });
});
