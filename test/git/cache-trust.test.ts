// The history cache sits in the audited repository's git dir: a planted list of "clean" blob ids must not hide a secret.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanHistory } from '../../src/scan/history.js';
import { fakeToken, testDetector } from './detector.js';
import { repoFactory } from './repo.js';

const repo = repoFactory();
const detector = testDetector();
const env = { HOME: mkdtempSync(join(tmpdir(), 'spillway-cache-home-')) };

function plant(gitDir: string, lines: string[]): void {
  mkdirSync(join(gitDir, 'spillway'), { recursive: true });
  writeFileSync(join(gitDir, 'spillway', 'history-cache'), `${lines.join('\n')}\n`);
}

describe('a planted history cache', () => {
  it('never makes history skip the blob that holds a secret: only a list signed with this user\'s key is believed', async () => {
    const r = repo();
    r.commit('add', { 'config.env': `TOKEN=${fakeToken('planted')}\n`, 'clean.txt': 'nothing\n' });
    const blob = r.git('rev-parse', 'HEAD:config.env');
    const gitDir = join(r.dir, '.git');

    plant(gitDir, [`spillway-history-cache 1 ${detector.version}`, blob]);
    const v1 = await scanHistory({ repo: r.dir, env }, detector);
    expect(v1.findings.map((f) => f.provenance.path)).toEqual(['config.env']);
    expect(v1.stats.cached).toBe(0);

    plant(gitDir, [`spillway-history-cache 2 ${detector.version}`, `mac ${'0'.repeat(64)}`, blob]);
    const forged = await scanHistory({ repo: r.dir, env }, detector);
    expect(forged.findings.map((f) => f.provenance.path)).toEqual(['config.env']);
    expect(forged.stats.cached).toBe(0);
    expect(forged.notes).toContainEqual({
      level: 'warning',
      input: join(gitDir, 'spillway', 'history-cache'),
      message: `cache ${join(gitDir, 'spillway', 'history-cache')} is not signed with this user's key (planted, copied from elsewhere or damaged): ignored, every object is scanned again`,
    });

    // The list this user's own run signed is used: the clean blob is skipped, the secret's blob still read.
    const again = await scanHistory({ repo: r.dir, env }, detector);
    expect(again.stats).toMatchObject({ cached: 1, scanned: 1 });
    expect(again.findings.map((f) => f.provenance.path)).toEqual(['config.env']);
    const otherUser = await scanHistory({ repo: r.dir, env: { HOME: mkdtempSync(join(tmpdir(), 'spillway-cache-other-')) } }, detector);
    expect(otherUser.stats.cached).toBe(0);
  });
});
