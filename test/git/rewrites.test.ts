// History an audited repository tries to hide or to break: grafts, replace refs, a `.gitmodules` `update = !command`.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanHistory } from '../../src/scan/history.js';
import { fakeToken, testDetector } from './detector.js';
import { repoFactory } from './repo.js';

const repo = repoFactory();
const detector = testDetector();
const paths = (findings: { provenance: { path?: string } }[]) => findings.map((f) => f.provenance.path).sort();

describe('history a repository rewrites', () => {
  it('info/grafts that cut off the commit adding a secret: ignored with a warning, the secret is found', async () => {
    const r = repo();
    r.commit('init', { 'README.md': 'hi\n' });
    r.commit('add secret', { 'a.env': `TOKEN=${fakeToken('grafted')}\n` });
    r.git('rm', '-q', 'a.env');
    const last = r.commit('remove it', { 'README.md': 'hello\n' });
    writeFileSync(join(r.dir, '.git', 'info', 'grafts'), `${last}\n`);
    const { findings, notes } = await scanHistory({ repo: r.dir, cache: false }, detector);
    expect(paths(findings)).toEqual(['a.env']);
    expect(notes).toContainEqual({
      level: 'warning',
      input: join(r.dir, '.git', 'info', 'grafts'),
      message: "grafts file rewrites the parents of 1 commit(s) and could hide history: ignored, the commits' real parents are audited",
    });
  });

  it('a replace ref that swaps the commit adding a secret for a clean one: ignored with a warning, the secret is found', async () => {
    const r = repo();
    r.commit('init', { 'README.md': 'hi\n' });
    const leaky = r.commit('add secret', { 'a.env': `TOKEN=${fakeToken('replaced')}\n` });
    r.git('rm', '-q', 'a.env');
    r.commit('remove it', { 'README.md': 'hello\n' });
    const tree = r.git('rev-parse', `${leaky}^^{tree}`).trim();
    const parent = r.git('rev-parse', `${leaky}^`).trim();
    const clean = r.git('commit-tree', tree, '-p', parent, '-m', 'add secret').trim();
    r.git('replace', leaky, clean);
    const { findings, notes } = await scanHistory({ repo: r.dir, cache: false }, detector);
    expect(paths(findings)).toEqual(['a.env']);
    expect(notes.map((n) => n.message)).toContain('1 replace ref(s) (refs/replace/) could show other objects in place of real ones: ignored (--no-replace-objects), the real objects are audited');
  });

  it('a .gitmodules with update = !command never runs it and does not stop the audit', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'spillway-gitmodules-')), 'ran');
    const r = repo();
    r.commit('submodule', { '.gitmodules': `[submodule "x"]\n\tpath = x\n\turl = ./x\n\tupdate = !touch ${marker}\n`, 'b.env': `TOKEN=${fakeToken('submodule')}\n` });
    r.git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},x`);
    r.git('commit', '-q', '-m', 'gitlink');
    const { findings } = await scanHistory({ repo: r.dir, cache: false }, detector);
    expect(paths(findings)).toEqual(['b.env']);
    expect(existsSync(marker)).toBe(false);
  });
});
