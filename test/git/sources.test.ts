import { describe, expect, it } from 'vitest';
import { fileChunks } from '../../src/scan/corridor.js';
import { findBlobOrigins } from '../../src/sources/git/blob-origins.js';
import { commitMessageChunks, tagMessageChunks } from '../../src/sources/git/commit-messages.js';
import { HistorySource } from '../../src/sources/git/history.js';
import { stripCredentials } from '../../src/sources/git/repo-info.js';
import { revisionArgs } from '../../src/sources/git/revisions.js';
import { StagedSource, addedRuns } from '../../src/sources/git/staged.js';
import { generateHistory } from './generated-history.js';
import { repoFactory } from './repo.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const c of items) out.push(c);
  return out;
}

/** The staged source's files through the corridor, as [path, first line, text] per chunk. */
async function stagedChunks(source: StagedSource): Promise<[string, number | undefined, string][]> {
  const files = await collect(source.files());
  return files.flatMap((f) => fileChunks(f).chunks.map((c): [string, number | undefined, string] => [c.provenance.path, c.startLine, c.text]));
}

const repo = repoFactory();

describe('HistorySource', () => {
  it('yields every unique text blob once, including deleted files and other branches', async () => {
    const r = repo();
    r.commit('one', { 'a.txt': 'same\n', 'b.txt': 'same\n', 'gone.txt': 'deleted later\n', 'bin.dat': 'x\0y' });
    r.git('rm', '-q', 'gone.txt');
    r.commit('delete');
    r.git('checkout', '-q', '-b', 'side');
    r.commit('side only', { 'side.txt': 'on side\n' });
    r.git('checkout', '-q', 'main');
    const source = new HistorySource({ repo: r.dir, revArgs: revisionArgs({}) });
    const texts = (await collect(source.files())).map((f) => f.bytes!.toString('latin1')).sort();
    expect(texts).toEqual(['deleted later\n', 'on side\n', 'same\n', 'x\0y']);
    expect(source.stats).toMatchObject({ listed: 4, listingDone: true });
  });

  it('skips blobs the caller already knows, and over-size blobs with a note', async () => {
    const r = repo();
    r.commit('one', { 'small.txt': 'small\n', 'big.txt': 'b'.repeat(5000) });
    const small = r.blobOf('HEAD', 'small.txt');
    const source = new HistorySource({ repo: r.dir, revArgs: ['--all'], maxBlobSize: 1000, skip: (oid) => oid === small });
    const files = await collect(source.files());
    expect(files.map((f) => [f.path, f.bytes, f.size])).toEqual([['big.txt', null, 5000]]);
    expect(source.stats).toMatchObject({ cached: 1, oversize: 1 });
    expect(fileChunks(files[0]!, { maxFileSize: 1000 }).notes[0]).toMatchObject({ level: 'warning', input: expect.stringContaining('big.txt') });
  });
});

describe('HistorySource read order', () => {
  it('reads a long history in pack order, each reachable blob once, not an unreachable one', async () => {
    const r = repo();
    generateHistory(r, { files: 60, commits: 16 });
    r.git('checkout', '-q', '-b', 'dropped');
    const dropped = r.commit('dropped', { 'dropped.txt': 'unreachable once the branch is gone\n' });
    r.git('checkout', '-q', 'main');
    r.git('branch', '-q', '-D', 'dropped');
    r.git('repack', '-q', '-a', '-d');
    const reachable = r.git('rev-list', '--objects', '--filter=object:type=blob', '--all').split('\n').map((l) => l.split(' ')[0]!);
    const packOrder = r.git('cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)', '--unordered').split('\n')
      .map((l) => l.split(' '))
      .filter(([oid, type]) => type === 'blob' && reachable.includes(oid!))
      .map(([oid]) => oid);
    expect(reachable.length).toBeGreaterThan(512);
    expect(packOrder).not.toEqual(reachable); // the test would prove nothing if both orders were one
    const source = new HistorySource({ repo: r.dir, revArgs: revisionArgs({}) });
    const read = (await collect(source.files())).map((f) => (f.provenance as { blob: string }).blob);
    expect(read).toEqual(packOrder);
    expect(read).not.toContain(r.blobOf(dropped, 'dropped.txt'));
  }, 60_000);
});

describe('findBlobOrigins', () => {
  it('attributes a blob to the earliest commit that introduced it, with the other introductions', async () => {
    const r = repo();
    const first = r.commit('add', { 'conf/app.env': 'TOKEN=1\n' });
    r.git('mv', 'conf/app.env', 'conf/renamed.env');
    const renamed = r.commit('rename');
    r.commit('copy', { 'copy.env': 'TOKEN=1\n' });
    const blob = r.blobOf('HEAD', 'copy.env');
    const origins = await findBlobOrigins(r.dir, new Set([blob]), ['--all']);
    expect(origins.get(blob)).toMatchObject({ commit: first, path: 'conf/app.env', author: 'Ada Tester', email: 'ada@example.test' });
    expect(origins.get(blob)!.alsoIn).toEqual([
      { commit: renamed, path: 'conf/renamed.env' },
      { commit: r.git('rev-parse', 'HEAD'), path: 'copy.env' },
    ]);
  });

  it('attributes content that only a merge introduced to the merge', async () => {
    const r = repo();
    r.commit('base', { 'a.txt': 'base\n' });
    r.git('checkout', '-q', '-b', 'topic');
    r.commit('topic', { 'a.txt': 'topic\n' });
    r.git('checkout', '-q', 'main');
    r.commit('main', { 'a.txt': 'main\n' });
    r.git('merge', '-q', 'topic', '-m', 'merge', '-s', 'ours', '--no-commit');
    r.write({ 'a.txt': 'resolved in merge\n' });
    r.git('add', 'a.txt');
    r.git('commit', '-q', '-m', 'merge topic');
    const merge = r.git('rev-parse', 'HEAD');
    const blob = r.blobOf('HEAD', 'a.txt');
    const topicBlob = r.blobOf('topic', 'a.txt');
    const origins = await findBlobOrigins(r.dir, new Set([blob, topicBlob]), ['--all']);
    expect(origins.get(blob)).toMatchObject({ commit: merge, path: 'a.txt' });
    expect(origins.get(topicBlob)).toMatchObject({ commit: r.git('rev-parse', 'topic'), alsoIn: [] });
  });
});

describe('commit and tag messages', () => {
  it('yields commit messages and annotated tag messages with provenance', async () => {
    const r = repo();
    const c = r.commit('subject\n\nbody line');
    r.git('tag', '-a', 'v1', '-m', 'release notes');
    r.git('tag', 'light');
    const commits = await collect(commitMessageChunks(r.dir, ['--all']));
    expect(commits.map((x) => [x.text, x.provenance])).toEqual([
      ['subject\n\nbody line\n', { kind: 'commit-message', path: `commit:${c}`, commit: c, author: 'Ada Tester', email: 'ada@example.test', date: expect.any(String) }],
    ]);
    const tags = await collect(tagMessageChunks(r.dir));
    expect(tags.map((x) => [x.text, x.provenance])).toEqual([
      ['release notes\n', { kind: 'commit-message', path: 'tag:v1', commit: c, tag: 'v1', author: 'Ada Tester', email: 'ada@example.test', date: expect.any(String) }],
    ]);
  });
});

describe('StagedSource', () => {
  it('reads staged files whole from the index and knows which lines the commit adds', async () => {
    const r = repo();
    r.commit('base', { 'app.txt': 'one\ntwo\nthree\nfour\n', 'old.txt': 'keep\n' });
    r.write({ 'app.txt': 'one\nTWO-NEW\nthree\nfour\nfive\n', 'new.txt': 'brand new\n' });
    r.git('add', 'app.txt', 'new.txt');
    // The working tree differs from the index: the staged version is what counts.
    r.write({ 'app.txt': 'working tree only\n', 'new.txt': 'not staged\n', 'untracked.txt': 'untracked\n' });
    const source = new StagedSource(r.dir);
    expect(await stagedChunks(source)).toEqual([
      ['app.txt', undefined, 'one\nTWO-NEW\nthree\nfour\nfive\n'],
      ['new.txt', undefined, 'brand new\n'],
    ]);
    expect(source.addedLines).toEqual(new Map<string, unknown>([['app.txt', new Set([2, 5])], ['new.txt', 'all']]));
    expect([1, 2, 3, 5].map((line) => source.isAdded('app.txt', line))).toEqual([false, true, false, true]);
  });

  it('works before the first commit and skips binaries with a note', async () => {
    const r = repo();
    r.write({ 'first.txt': 'first\n', 'img.bin': 'a\0b' });
    r.git('add', '-A');
    const source = new StagedSource(r.dir);
    const results = (await collect(source.files())).map((f) => fileChunks(f));
    expect(results.flatMap((x) => x.chunks.filter((c) => !c.pathOnly).map((c) => c.provenance))).toEqual([{ kind: 'staged', path: 'first.txt', blob: r.git('rev-parse', ':first.txt') }]);
    expect(results.flatMap((x) => x.notes)).toEqual([{ level: 'info', input: 'img.bin', message: 'skipped: binary file (contains NUL bytes)' }]);
  });

  it('scans only the added lines of a renamed file', async () => {
    const r = repo();
    r.commit('base', { 'a.txt': 'l1\nl2\nl3\nl4\nl5\n' });
    r.git('mv', 'a.txt', 'b.txt');
    r.write({ 'b.txt': 'l1\nl2\nl3\nl4\nl5\nadded\n' });
    r.git('add', 'b.txt');
    const source = new StagedSource(r.dir);
    expect((await stagedChunks(source)).map((c) => c[0])).toEqual(['b.txt']);
    expect(source.addedLines.get('b.txt')).toEqual(new Set([6]));
  });

  it('reads a text file that .gitattributes marks binary (-diff) whole, judging it by its content', async () => {
    const r = repo();
    r.commit('base', { '.gitattributes': '*.cfg -diff\n', 'app.cfg': 'a = 1\n' });
    r.write({ 'app.cfg': 'a = 1\nb = 2\n' });
    r.git('add', 'app.cfg');
    const source = new StagedSource(r.dir);
    expect(await stagedChunks(source)).toEqual([['app.cfg', undefined, 'a = 1\nb = 2\n']]);
    expect(source.addedLines.get('app.cfg')).toBe('all');
  });

  it('numbers added lines across context and deletions', () => {
    const patch = ['diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1,3 +1,4 @@', ' keep', '-gone', '+new1', '+new2', ' keep2', '@@ -10 +11,0 @@', '-x', '@@ -20,0 +21 @@', '+late', '\\ No newline at end of file'].join('\n');
    expect(addedRuns(patch)).toEqual([
      { startLine: 2, lines: ['new1', 'new2'] },
      { startLine: 21, lines: ['late'] },
    ]);
  });
});

describe('revisions and remotes', () => {
  it('refuses a revision that git would take for an option, naming the option', () => {
    expect(() => revisionArgs({ revs: ['--output=/tmp/x'] })).toThrow(/revision.*must not be empty or start with "-"/);
    expect(() => revisionArgs({ branches: ['-x'] })).toThrow(/--branch/);
    expect(revisionArgs({ since: '2024-01-01', maxCount: 5 })).toEqual(['--since=2024-01-01', '--max-count=5', '--exclude=refs/notes/*', '--all']);
    expect(revisionArgs({ revs: ['main..topic'], includeNotes: true })).toEqual(['main..topic']);
  });

  it('drops credentials from a remote URL before it reaches a report', () => {
    expect(stripCredentials('https://user:' + 'p4ss@git.example.test/o/r.git')).toBe('https://git.example.test/o/r.git');
    expect(stripCredentials('git@github.com:o/r.git')).toBe('git@github.com:o/r.git');
  });
});
