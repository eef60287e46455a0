import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distModule, git, runUnprivileged, tempDir, walkAll, writeTree } from './tree.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('walkFiles in a git checkout', () => {
  beforeEach(() => {
    writeTree(dir, {
      '.gitignore': 'ignored.txt\nbuild/\n',
      'src/app.ts': 'export {};\n',
      'README.md': '# hi\n',
      'ignored.txt': 'x\n',
      'build/out.js': 'x\n',
      'new-untracked.txt': 'y\n',
    });
    git(dir, 'init', '-q');
    git(dir, 'add', '.gitignore', 'src/app.ts', 'README.md');
    git(dir, 'commit', '-qm', 'init');
  });

  it('honours .gitignore and lists tracked and untracked files', async () => {
    const { paths, notes } = await walkAll({ root: dir });
    expect(paths).toEqual(['.gitignore', 'README.md', 'new-untracked.txt', 'src/app.ts']);
    expect(notes).toEqual([]);
  });

  it('walks a subfolder with paths still relative to the root', async () => {
    const { paths } = await walkAll({ root: dir, paths: ['src'] });
    expect(paths).toEqual(['src/app.ts']);
  });

  it('scans a file named explicitly even when it is ignored', async () => {
    const { paths } = await walkAll({ root: dir, paths: ['ignored.txt'] });
    expect(paths).toEqual(['ignored.txt']);
  });

  it('reads a file once when paths overlap', async () => {
    const { paths } = await walkAll({ root: dir, paths: ['src', 'src/app.ts', '.'] });
    expect(paths).toEqual(['src/app.ts', '.gitignore', 'README.md', 'new-untracked.txt']);
  });

  it('skips a tracked file deleted from the working tree, quietly', async () => {
    rmSync(join(dir, 'README.md'));
    const { paths, notes } = await walkAll({ root: dir });
    expect(paths).toEqual(['.gitignore', 'new-untracked.txt', 'src/app.ts']);
    expect(notes).toEqual([]);
  });

  it('does not list a tracked symlinked folder twice, and applies excludes', async () => {
    symlinkSync('src', join(dir, 'src-link'));
    git(dir, 'add', 'src-link');
    const { paths, notes } = await walkAll({ root: dir, exclude: ['*.md'] });
    expect(paths).toEqual(['.gitignore', 'new-untracked.txt', 'src/app.ts']);
    expect(notes).toEqual([]);
  });

  it('walks everything but .git/ with noGit', async () => {
    const { paths } = await walkAll({ root: dir, noGit: true });
    expect(paths).toEqual(['.gitignore', 'README.md', 'build/out.js', 'ignored.txt', 'new-untracked.txt', 'src/app.ts']);
  });

  it('does not run a hostile fsmonitor from the repository config', async () => {
    const marker = join(dir, 'pwned');
    git(dir, 'config', 'core.fsmonitor', `touch ${marker}; false`);
    const { paths } = await walkAll({ root: dir });
    expect(paths).toContain('src/app.ts');
    expect(spawnSync('test', ['-e', marker]).status).not.toBe(0);
  });
});

describe('walkFiles with submodules (a plain git clone leaves them empty)', () => {
  function cloneWithSubmodule(init: boolean): string {
    const lib = join(dir, 'lib');
    const app = join(dir, 'app');
    const clone = join(dir, 'clone');
    git(dir, 'init', '-q', lib);
    writeTree(lib, { 'lib.txt': 'library\n' });
    git(lib, 'add', '.');
    git(lib, 'commit', '-qm', 'lib');
    git(dir, 'init', '-q', app);
    writeTree(app, { 'app.txt': 'app\n' });
    git(app, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'lib');
    git(app, 'add', '.');
    git(app, 'commit', '-qm', 'app');
    git(dir, 'clone', '-q', app, clone);
    if (init) git(clone, '-c', 'protocol.file.allow=always', 'submodule', 'update', '-q', '--init');
    return clone;
  }

  it('ends, and notes an uninitialised submodule instead of entering it for ever', async () => {
    const clone = cloneWithSubmodule(false);
    const { paths, notes } = await walkAll({ root: clone });
    expect(paths).toEqual(['.gitmodules', 'app.txt']);
    expect(notes).toEqual([{ level: 'info', input: 'lib', message: expect.stringContaining('submodule not checked out') }]);
  });

  it('ends when the scan starts inside the empty submodule folder', async () => {
    const clone = cloneWithSubmodule(false);
    const { paths } = await walkAll({ root: clone, paths: ['lib'] });
    expect(paths).toEqual([]);
  });

  it('scans a checked-out submodule as its own repository', async () => {
    const clone = cloneWithSubmodule(true);
    const { paths, notes } = await walkAll({ root: clone });
    expect(paths).toEqual(['.gitmodules', 'app.txt', 'lib/lib.txt']);
    expect(notes).toEqual([]);
  });
});

describe('walkFiles outside git', () => {
  it('walks plain folders', async () => {
    writeTree(dir, { 'a.txt': 'a', 'sub/b.txt': 'b' });
    expect((await walkAll({ root: dir })).paths).toEqual(['a.txt', 'sub/b.txt']);
  });

  it('survives a symlink loop and reads each file once', async () => {
    writeTree(dir, { 'a/file.txt': 'x' });
    symlinkSync('..', join(dir, 'a', 'up'));
    symlinkSync(join(dir, 'a'), join(dir, 'a', 'self'));
    const { paths } = await walkAll({ root: dir, noGit: true });
    expect(paths).toEqual(['a/file.txt']);
  });

  it('does not follow a symlink out of the root', async () => {
    const outside = tempDir();
    try {
      writeTree(outside.dir, { 'secret.txt': 'outside' });
      writeTree(dir, { 'in.txt': 'in' });
      symlinkSync(join(outside.dir, 'secret.txt'), join(dir, 'link.txt'));
      symlinkSync(outside.dir, join(dir, 'linkdir'));
      const { paths, notes } = await walkAll({ root: dir, noGit: true });
      expect(paths).toEqual(['in.txt']);
      expect(notes.map((n) => n.input).sort()).toEqual(['link.txt', 'linkdir']);
      expect(notes[0]!.message).toMatch(/symlink .* outside the scanned folder/);
    } finally {
      outside.cleanup();
    }
  });

  it('follows a symlink inside the root without reading its target twice', async () => {
    writeTree(dir, { 'real/config.env': 'x' });
    symlinkSync(join(dir, 'real', 'config.env'), join(dir, 'alias.env'));
    const { paths } = await walkAll({ root: dir, noGit: true });
    expect(paths).toEqual(['alias.env']);
  });

  it('skips a FIFO without opening it', async () => {
    writeTree(dir, { 'a.txt': 'a', 'z.txt': 'z' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const { paths, notes } = await walkAll({ root: dir, noGit: true });
    expect(paths).toEqual(['a.txt', 'z.txt']);
    expect(notes).toEqual([{ level: 'info', input: 'pipe', message: 'skipped: not a regular file (a FIFO)' }]);
  });

  it('leaves out excluded globs, pruning folders', async () => {
    writeTree(dir, { 'a.ts': '', 'web/app.min.js': '', 'vendor/x/y.go': '', 'docs/a.md': '', 'docs/b.txt': '' });
    const { paths } = await walkAll({ root: dir, noGit: true, exclude: ['*.min.js', 'vendor', 'docs/*.md'] });
    expect(paths).toEqual(['a.ts', 'docs/b.txt']);
  });

  it('notes a path that does not exist and goes on with the others', async () => {
    writeTree(dir, { 'a.txt': 'a' });
    const { paths, notes } = await walkAll({ root: dir, paths: ['missing', 'a.txt'] });
    expect(paths).toEqual(['a.txt']);
    expect(notes).toEqual([{ level: 'error', input: 'missing', message: 'cannot read: no such file or folder' }]);
  });

  it('notes an unreadable folder and goes on (run as an unprivileged user)', () => {
    writeTree(dir, { 'a.txt': 'a', 'locked/inner.txt': 'b', 'z/z.txt': 'z' });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'locked'), 0o000);
    const out = runUnprivileged(
      `const { walkFiles } = await import(${JSON.stringify(distModule('sources/walk.js'))});
       const items = []; for await (const i of walkFiles({ root: ${JSON.stringify(dir)}, noGit: true })) items.push(i.kind === 'file' ? i.path : i.note);
       console.log(JSON.stringify(items));`,
    );
    expect(JSON.parse(out)).toEqual(['a.txt', { level: 'error', input: 'locked', message: 'cannot read folder: permission denied' }, 'z/z.txt']);
  });
});
