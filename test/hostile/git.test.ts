// Hostile repositories through `spillway history`: corrupt objects, partial and shallow clones, submodules, big and odd histories.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../cli/run.js';
import { TestRepo, testGitEnv } from '../git/repo.js';
import { importHistory, type ImportCommit } from './git-fixtures.js';
import { cli, goodLine, RULES, type JsonReport } from './harness.js';

async function history(dir: string, extra: string[] = []): Promise<{ code: number; stderr: string; report?: JsonReport }> {
  const r = await cli(['history', '--config', RULES, '--no-cache', '-f', 'json', ...extra], dir);
  return { code: r.code, stderr: r.stderr, ...(r.stdout ? { report: JSON.parse(r.stdout) as JsonReport } : {}) };
}

function paths(report: JsonReport | undefined): string[] {
  return (report?.findings ?? []).map((f) => f.path).sort();
}

function messages(report: JsonReport | undefined): string[] {
  return (report?.notes ?? []).map((n) => n.message);
}

/** A repository with a good secret that stays, and another in a file removed by the second commit. */
function twoCommits(): { repo: TestRepo; lostBlob: string } {
  const repo = TestRepo.create();
  repo.commit('one', { 'good.ts': goodLine('good'), 'old.ts': goodLine('old') });
  const lostBlob = repo.blobOf('HEAD', 'old.ts');
  repo.git('rm', '-q', 'old.ts');
  repo.commit('two', { 'c.txt': 'more\n' });
  return { repo, lostBlob };
}

describe('broken object stores', () => {
  it('a corrupt loose object is named with its path; the rest of history is scanned (exit 1)', async () => {
    const { repo, lostBlob } = twoCommits();
    const file = join(repo.dir, '.git/objects', lostBlob.slice(0, 2), lostBlob.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, 'not zlib at all');
    const r = await history(repo.dir);
    expect(paths(r.report)).toEqual(['good.ts']);
    expect(messages(r.report)).toContain(
      `1 reachable blob(s) are missing or unreadable in the object store (a partial clone, or corrupt objects) and were not scanned: ${lostBlob} (old.ts)`,
    );
    expect(r.code).toBe(1);
  });

  it('a corrupt object in a pack stops the audit with exit 2, naming the object and the pack', async () => {
    const { repo, lostBlob } = twoCommits();
    repo.git('gc', '-q');
    const pack = readdirSync(join(repo.dir, '.git/objects/pack')).find((n) => n.endsWith('.pack'))!;
    const packPath = join(repo.dir, '.git/objects/pack', pack);
    const line = repo.git('verify-pack', '-v', packPath.replace(/\.pack$/, '.idx')).split('\n').find((l) => l.startsWith(lostBlob))!;
    const offset = Number(line.trim().split(/\s+/)[4]);
    const bytes = readFileSync(packPath);
    for (let i = offset + 2; i < offset + 12; i++) bytes[i] = bytes[i]! ^ 0xff;
    chmodSync(packPath, 0o644);
    writeFileSync(packPath, bytes);
    // Decision: a pack that git itself calls corrupt cannot be audited with confidence: exit 2, no partial report.
    const r = await history(repo.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`packed object ${lostBlob}`);
    expect(r.stderr).toContain(`${pack}) is corrupt`);
  });

  it('a partial clone: blobs never fetched are named, never fetched by spillway; present ones are scanned', async () => {
    const { repo, lostBlob } = twoCommits();
    repo.git('config', 'uploadpack.allowFilter', 'true');
    const clone = TestRepo.create();
    clone.remove();
    execFileSync('git', ['-c', 'protocol.file.allow=always', 'clone', '-q', '--filter=blob:none', `file://${repo.dir}`, clone.dir], { env: testGitEnv(), stdio: 'pipe' });
    const r = await history(clone.dir);
    expect(paths(r.report)).toEqual(['good.ts']);
    expect(messages(r.report)).toContain(
      `1 reachable blob(s) are missing or unreadable in the object store (a partial clone, or corrupt objects) and were not scanned: ${lostBlob}`,
    );
    expect(r.code).toBe(1);
    // Still missing: the audit did not fetch it from the promisor remote.
    expect(clone.git('rev-list', '--objects', '--missing=print', '--all').split('\n')).toContain(`?${lostBlob}`);
  });

  it('a shallow clone says what history was not fetched; the secrets it holds are found', async () => {
    const { repo } = twoCommits();
    const clone = TestRepo.create();
    clone.remove();
    execFileSync('git', ['-c', 'protocol.file.allow=always', 'clone', '-q', '--depth', '1', `file://${repo.dir}`, clone.dir], { env: testGitEnv(), stdio: 'pipe' });
    const r = await history(clone.dir);
    expect(paths(r.report)).toEqual(['good.ts']);
    expect(messages(r.report).some((m) => m.startsWith('shallow clone: history before 1 boundary commit(s)'))).toBe(true);
    expect(r.code).toBe(1);
  });

  it('a repository with a submodule: the superproject history is audited, the gitlink does not break it', async () => {
    const sub = TestRepo.create();
    sub.commit('sub', { 'sub.ts': goodLine('submodule') });
    const repo = TestRepo.create();
    repo.commit('root', { 'good.ts': goodLine('good') });
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', `file://${sub.dir}`, 'vendor/sub');
    repo.commit('add submodule');
    const r = await history(repo.dir);
    // The submodule's own history is another repository: audit it with `--repo vendor/sub`.
    expect(paths(r.report)).toEqual(['good.ts']);
    expect(r.code).toBe(1);
    const inner = await history(join(repo.dir, 'vendor/sub'));
    expect(paths(inner.report)).toEqual(['sub.ts']);
    // A working-tree scan of the checkout reads the submodule's files too.
    const scan = await cli(['scan', '.', '--config', RULES, '-f', 'json'], repo.dir);
    expect(paths(JSON.parse(scan.stdout) as JsonReport)).toEqual(['good.ts', 'vendor/sub/sub.ts']);
  });
});

describe('big and odd histories', () => {
  it('a 10,000-commit linear history completes and names the commit of its one secret', async () => {
    const commits: ImportCommit[] = Array.from({ length: 10_000 }, (_, i) => ({
      ref: 'refs/heads/main',
      message: Buffer.from(`commit ${i}`),
      ...(i > 0 ? { from: i } : {}),
      files: { 'counter.txt': `${i}\n`, ...(i === 4321 ? { 'leak.ts': goodLine('tenk') } : {}) },
    }));
    const repo = importHistory(commits);
    const leakCommit = repo.git('rev-list', '--reverse', 'main', '--', 'leak.ts').split('\n')[0];
    const rss = join(repo.dir, '.git', 'rss.txt');
    const started = performance.now();
    const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile('/usr/bin/time', ['-f', '%M', '-o', rss, process.execPath, BIN, 'history', '--config', RULES, '--no-cache', '-f', 'json'], { cwd: repo.dir, env: { PATH: process.env.PATH ?? '', HOME: repo.dir }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout }),
      );
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`FIGURE 10k-commit history: ${seconds} s, peak RSS ${(Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024).toFixed(0)} MiB`);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.path, f.provenance.commit])).toEqual([['leak.ts', leakCommit]]);
    expect(messages(report)).toContain('history: 10001 unique blob(s) reachable, 10001 scanned (0.0 MB read)');
    expect(r.code).toBe(1);
  });

  it('a 1,000-branch history completes; the secret on one branch is found', async () => {
    const commits: ImportCommit[] = [{ ref: 'refs/heads/main', message: Buffer.from('root'), files: { 'README.md': 'root\n' } }];
    for (let i = 0; i < 1000; i++) commits.push({ ref: `refs/heads/b${i}`, message: Buffer.from(`branch ${i}`), from: 1, files: { [`b${i}.txt`]: `branch ${i}\n`, ...(i === 777 ? { 'leak.ts': goodLine('branch') } : {}) } });
    const repo = importHistory(commits);
    const r = await history(repo.dir);
    expect(r.report!.findings.map((f) => [f.path, f.provenance.commit])).toEqual([['leak.ts', repo.git('rev-parse', 'b777')]]);
    expect(r.code).toBe(1);
  });

  it('latin-1 commit messages are scanned, not fatal', async () => {
    const latin1 = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(` deploy key ${goodLine('latin').trim()}`)]);
    const repo = importHistory([
      { ref: 'refs/heads/main', message: latin1, files: { 'a.txt': 'a\n' } },
      { ref: 'refs/heads/main', message: Buffer.from([0x72, 0xe9, 0x73, 0x75, 0x6d, 0xe9]), from: 1, files: { 'good.ts': goodLine('good') } },
    ]);
    const r = await history(repo.dir);
    const first = repo.git('rev-list', '--max-parents=0', 'main');
    // The invalid byte reads as U+FFFD, one column: the token starts at column 22. Newest commit first.
    expect(r.report!.findings.map((f) => `${f.path} ${f.startLine}:${f.startColumn} ${f.provenance.kind}`)).toEqual(['good.ts 1:6 git', `commit:${first} 1:22 commit-message`]);
    expect(r.report!.notes.filter((n) => n.level !== 'info')).toEqual([]);
    expect(r.code).toBe(1);
  });

  it('a file renamed 50 times: one finding, origin the first commit, alsoIn lists every rename', async () => {
    const secret = goodLine('renamed');
    const commits: ImportCommit[] = [{ ref: 'refs/heads/main', message: Buffer.from('add'), files: { 'name0.ts': secret } }];
    for (let i = 1; i <= 50; i++) commits.push({ ref: 'refs/heads/main', message: Buffer.from(`rename ${i}`), from: i, files: { [`name${i - 1}.ts`]: null, [`name${i}.ts`]: secret } });
    const repo = importHistory(commits);
    const first = repo.git('rev-list', '--max-parents=0', 'main');
    const r = await history(repo.dir);
    expect(r.report!.findings).toHaveLength(1);
    const p = r.report!.findings[0]!.provenance as { commit: string; path: string; alsoIn?: { path: string }[] };
    expect(p.commit).toBe(first);
    expect(p.path).toBe('name0.ts');
    expect((p.alsoIn ?? []).map((a) => a.path).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `name${i + 1}.ts`).sort());
    expect(r.code).toBe(1);
  });
});
