import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanHistory } from '../../src/scan/history.js';
import type { Finding } from '../../src/types.js';
import { fakeToken, testDetector } from './detector.js';
import { repoFactory } from './repo.js';

const repo = repoFactory();

const detector = testDetector();

function where(f: Finding): Record<string, unknown> {
  const p = f.provenance;
  return p.kind === 'git'
    ? { kind: p.kind, path: p.path, commit: p.commit, line: f.location.startLine, presentAtHead: p.presentAtHead, alsoIn: p.alsoIn ?? [] }
    : { kind: p.kind, path: p.path, commit: p.kind === 'commit-message' ? p.commit : undefined, line: f.location.startLine };
}

describe('scanHistory', () => {
  it('finds a secret added then removed, attributed to the commit that added it, not present at HEAD', async () => {
    const r = repo();
    r.commit('init', { 'README.md': 'hello\n' });
    const added = r.commit('add config', { 'config.js': `const a = 1;\nconst token = "${fakeToken('removed')}";\n` });
    r.commit('remove the token', { 'config.js': 'const a = 1;\nconst token = process.env.TOKEN;\n' });
    const { findings, info } = await scanHistory({ repo: r.dir, cache: false }, detector);
    expect(findings.map(where)).toEqual([{ kind: 'git', path: 'config.js', commit: added, line: 2, presentAtHead: false, alsoIn: [] }]);
    expect(findings[0]!.message).toContain('still in git history');
    expect(findings[0]!.provenance).toMatchObject({ author: 'Ada Tester', email: 'ada@example.test', date: expect.stringMatching(/^2024-/) });
    expect(info).toMatchObject({ mode: 'history', root: r.dir, repository: { branch: 'main', revision: r.git('rev-parse', 'HEAD') } });
  });

  it('says a secret still at HEAD is present, even when it moved to another file', async () => {
    const r = repo();
    const token = fakeToken('moved');
    const c1 = r.commit('add', { 'a.env': `TOKEN=${token}\n` });
    r.git('rm', '-q', 'a.env');
    r.commit('move it', { 'b.env': `# moved\nTOKEN=${token}\n` });
    const { findings } = await scanHistory({ repo: r.dir, cache: false }, detector);
    expect(findings.map(where).sort((x, y) => String(x.path).localeCompare(String(y.path)))).toEqual([
      { kind: 'git', path: 'a.env', commit: c1, line: 1, presentAtHead: true, alsoIn: [] },
      { kind: 'git', path: 'b.env', commit: r.git('rev-parse', 'HEAD'), line: 2, presentAtHead: true, alsoIn: [] },
    ]);
  });

  it('finds secrets in a deleted file, on a branch that was never merged, and in a renamed file (once, with the rename in alsoIn)', async () => {
    const r = repo();
    const inDeleted = r.commit('deleted file', { 'tmp/creds.txt': `${fakeToken('deleted')}\n`, 'keep.txt': 'x\n' });
    r.git('rm', '-q', '-r', 'tmp');
    r.commit('delete tmp');
    const renamedAt = r.commit('to be renamed', { 'old/name.cfg': `key = ${fakeToken('renamed')}\n` });
    r.git('mv', 'old', 'new');
    const renameCommit = r.commit('rename');
    r.git('checkout', '-q', '-b', 'experiment');
    const onBranch = r.commit('branch only', { 'exp.txt': `${fakeToken('branch')}\n` });
    r.git('checkout', '-q', 'main');
    const { findings } = await scanHistory({ repo: r.dir, cache: false }, detector);
    const got = findings.map(where).sort((x, y) => String(x.path).localeCompare(String(y.path)));
    expect(got).toEqual([
      { kind: 'git', path: 'exp.txt', commit: onBranch, line: 1, presentAtHead: false, alsoIn: [] },
      { kind: 'git', path: 'old/name.cfg', commit: renamedAt, line: 1, presentAtHead: true, alsoIn: [{ commit: renameCommit, path: 'new/name.cfg' }] },
      { kind: 'git', path: 'tmp/creds.txt', commit: inDeleted, line: 1, presentAtHead: false, alsoIn: [] },
    ]);
    // A range limits the walk: main..experiment holds only the branch commit.
    const ranged = await scanHistory({ repo: r.dir, cache: false, revs: ['main..experiment'] }, detector);
    expect(ranged.findings.map(where)).toEqual([{ kind: 'git', path: 'exp.txt', commit: onBranch, line: 1, presentAtHead: false, alsoIn: [] }]);
  });

  it('attributes a secret introduced while resolving a merge to the merge commit', async () => {
    const r = repo();
    r.commit('base', { 'app.cfg': 'a = 1\n' });
    r.git('checkout', '-q', '-b', 'topic');
    r.commit('topic', { 'app.cfg': 'a = 2\n' });
    r.git('checkout', '-q', 'main');
    r.commit('main', { 'app.cfg': 'a = 3\n' });
    r.git('merge', '-q', '-s', 'ours', '--no-commit', 'topic');
    r.write({ 'app.cfg': `a = 4\nsecret = ${fakeToken('merge')}\n` });
    r.git('add', 'app.cfg');
    r.git('commit', '-q', '-m', 'merge topic');
    const { findings } = await scanHistory({ repo: r.dir, cache: false }, detector);
    expect(findings.map(where)).toEqual([{ kind: 'git', path: 'app.cfg', commit: r.git('rev-parse', 'HEAD'), line: 2, presentAtHead: true, alsoIn: [] }]);
  });

  it('scans commit messages and annotated tag messages', async () => {
    const r = repo();
    const c = r.commit(`fix login\n\nused ${fakeToken('message')} to test`, { 'a.txt': 'a\n' });
    r.git('tag', '-a', 'v1.0', '-m', `release; temp key ${fakeToken('tag')}`);
    const { findings } = await scanHistory({ repo: r.dir, cache: false }, detector);
    expect(findings.map(where)).toEqual([
      { kind: 'commit-message', path: `commit:${c}`, commit: c, line: 3 },
      { kind: 'commit-message', path: 'tag:v1.0', commit: c, line: 1 },
    ]);
  });

  it('works on a bare repository', async () => {
    const src = repo();
    const c = src.commit('add', { 'k.txt': `${fakeToken('bare')}\n` });
    const bare = repo();
    bare.remove();
    src.git('clone', '-q', '--bare', src.dir, bare.dir);
    const { findings, info } = await scanHistory({ repo: bare.dir, cache: false }, detector);
    expect(findings.map(where)).toEqual([{ kind: 'git', path: 'k.txt', commit: c, line: 1, presentAtHead: true, alsoIn: [] }]);
    expect(info.root).toBe(bare.dir);
  });

  it('on a shallow clone, says what it could not see and attributes older content to the boundary commit', async () => {
    const src = repo();
    const old = fakeToken('before-boundary');
    src.commit('old secret', { 'a.txt': `${old}\n` });
    src.commit('remove it', { 'a.txt': 'clean\n' });
    src.commit('add b', { 'b.txt': `${fakeToken('kept')}\n` });
    const boundary = src.commit('more', { 'c.txt': 'c\n' });
    const shallow = repo();
    shallow.remove();
    src.git('clone', '-q', '--depth', '1', `file://${src.dir}`, shallow.dir);
    const { findings, notes } = await scanHistory({ repo: shallow.dir, cache: false }, detector);
    // The removed secret is out of reach; b.txt's was added before the boundary and is attributed to it.
    expect(findings.map(where)).toEqual([{ kind: 'git', path: 'b.txt', commit: boundary, line: 1, presentAtHead: true, alsoIn: [] }]);
    expect(notes.find((n) => n.message.startsWith('shallow clone'))?.message).toContain(boundary.slice(0, 12));
  });

  it('re-audits incrementally: only new blobs are read, findings stay complete, a rule change invalidates the cache', async () => {
    const r = repo();
    r.commit('one', { 'a.txt': 'a\n', 'b.txt': 'b\n', 's.txt': `${fakeToken('cached')}\n` });
    const first = await scanHistory({ repo: r.dir }, detector);
    expect(first.stats).toMatchObject({ listed: 3, scanned: 3, cached: 0 });
    const cacheFile = join(r.dir, '.git', 'spillway', 'history-cache');
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(cacheFile, 'utf8')).not.toContain(fakeToken('cached'));

    r.commit('two', { 'c.txt': 'c\n' });
    const second = await scanHistory({ repo: r.dir }, detector);
    // a.txt and b.txt are known clean; s.txt (it has a finding) and the new c.txt are read.
    expect(second.stats).toMatchObject({ listed: 4, scanned: 2, cached: 2 });
    expect(second.findings.map((f) => f.fingerprint)).toEqual(first.findings.map((f) => f.fingerprint));

    const third = await scanHistory({ repo: r.dir }, testDetector(true));
    expect(third.stats).toMatchObject({ listed: 4, scanned: 4, cached: 0 });
    expect(third.notes.map((n) => n.message)).toContain('the rule set changed since the last audit; every object is scanned again');

    const elsewhere = join(r.dir, '..', `${r.dir.split('/').pop()}-cache`);
    await scanHistory({ repo: r.dir, cache: elsewhere }, detector);
    expect(existsSync(elsewhere)).toBe(true);
  });

  it('limits the walk with maxCount and since, as git log does', async () => {
    const r = repo();
    const old = r.commit('old', { 'old.env': `TOKEN=${fakeToken('old')}\n` });
    r.git('rm', '-q', 'old.env');
    r.commit('replace', { 'new.env': `TOKEN=${fakeToken('new')}\n` });
    const paths = async (opts: { maxCount?: number; since?: string }) =>
      (await scanHistory({ repo: r.dir, cache: false, ...opts }, detector)).findings.map((f) => f.provenance.path).sort();
    expect(await paths({})).toEqual(['new.env', 'old.env']);
    expect(await paths({ maxCount: 1 })).toEqual(['new.env']);
    const afterOld = new Date((Number(r.git('log', '-1', '--format=%ct', old)) + 60) * 1000).toISOString();
    expect(await paths({ since: afterOld })).toEqual(['new.env']);
  });

  it('walks only the branches asked for; includes the stash by default and notes only when asked', async () => {
    const r = repo();
    r.commit('base', { 'a.txt': `${fakeToken('on-main-early')}\n` });
    r.git('checkout', '-q', '-b', 'side');
    r.commit('side', { 'b.txt': `${fakeToken('on-side')}\n` });
    r.git('checkout', '-q', 'main');
    r.commit('later', { 'c.txt': `${fakeToken('on-main-late')}\n` });
    const side = await scanHistory({ repo: r.dir, cache: false, branches: ['side'] }, detector);
    expect(side.findings.map((f) => f.provenance.path).sort()).toEqual(['a.txt', 'b.txt']);

    r.git('notes', 'add', '-m', `reviewed with ${fakeToken('in-a-note')}`, 'HEAD');
    r.write({ 'c.txt': `${fakeToken('stashed')}\n` });
    r.git('stash', '-q');
    const all = await scanHistory({ repo: r.dir, cache: false }, detector);
    const secrets = (res: typeof all) => res.findings.map((f) => f.secret.reveal()).sort();
    expect(secrets(all)).toEqual([fakeToken('on-main-early'), fakeToken('on-side'), fakeToken('on-main-late'), fakeToken('stashed')].sort());
    const withNotes = await scanHistory({ repo: r.dir, cache: false, includeNotes: true }, detector);
    expect(secrets(withNotes)).toContain(fakeToken('in-a-note'));
  });

  it('names a folder that is not a repository', async () => {
    await expect(scanHistory({ repo: '/', cache: false }, detector)).rejects.toThrow(/not a git repository/);
  });
});

describe('scanHistory reports each secret once per path', () => {
  it('a secret kept unchanged through later versions of a file: one finding, the introducing commit first, the others in alsoIn', async () => {
    const r = repo();
    const token = fakeToken('kept');
    const c1 = r.commit('add', { 'app.env': `TOKEN=${token}\n` });
    const c2 = r.commit('edit', { 'app.env': `# comment\nTOKEN=${token}\n` });
    const c3 = r.commit('edit again', { 'app.env': `# comment\nTOKEN=${token}\nOTHER=1\n` });
    const { findings } = await scanHistory({ repo: r.dir, cache: false }, detector);
    expect(findings.map(where)).toEqual([
      { kind: 'git', path: 'app.env', commit: c1, line: 1, presentAtHead: true, alsoIn: [{ commit: c2, path: 'app.env' }, { commit: c3, path: 'app.env' }] },
    ]);
  });

  it('the same secret at two paths is two findings; a secret twice in one version is two findings', async () => {
    const r = repo();
    const token = fakeToken('twice');
    r.commit('add', { 'a.env': `A=${token}\nB=${token}\n`, 'b.env': `B=${token}\n` });
    r.commit('edit', { 'a.env': `A=${token}\nB=${token}\nC=1\n` });
    const { findings } = await scanHistory({ repo: r.dir, cache: false }, detector);
    expect(findings.map((f) => [f.location.path, f.location.startLine, (f.provenance as { alsoIn?: unknown[] }).alsoIn?.length ?? 0])).toEqual([
      ['a.env', 1, 1],
      ['a.env', 2, 1],
      ['b.env', 1, 0],
    ]);
  });
});
