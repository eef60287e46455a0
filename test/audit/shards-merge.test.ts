// Shards balanced by size and their Actions matrix; SARIF merge with dedup by partialFingerprints; the merge command.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Log } from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeSarif } from '../../src/audit/merge-sarif.js';
import { loadState, statePath, StateWriter } from '../../src/audit/state.js';
import type { RepoRef } from '../../src/audit/repos.js';
import { matrixJson, splitShards } from '../../src/audit/shards.js';
import { mergeCommand } from '../../src/cli/commands/merge.js';
import { tempDir } from '../helpers/temp-git.js';
import { runCommand } from '../helpers/run-command.js';

const ref = (name: string, size: number): RepoRef => ({ fullName: `o/${name}`, cloneUrl: `file:///x/${name}`, size });

describe('splitShards', () => {
  const repos = [ref('a', 900), ref('b', 500), ref('c', 400), ref('d', 300), ref('e', 200), ref('f', 100), ref('g', 0), ref('h', 0)];

  it('puts every repository in exactly one shard, balancing total size', () => {
    const shards = splitShards(repos, 3);
    expect(shards.flat().map((r) => r.fullName).sort()).toEqual(repos.map((r) => r.fullName));
    const totals = shards.map((shard) => shard.reduce((sum, r) => sum + r.size, 0));
    // Optimal here: no shard bigger than the biggest repository (900 of 2400 in three shards).
    expect(Math.max(...totals)).toBe(900);
  });

  it('is deterministic whatever the input order', () => {
    expect(splitShards([...repos].reverse(), 3)).toEqual(splitShards(repos, 3));
  });

  it('renders a matrix and leaves out empty shards', () => {
    const matrix = JSON.parse(matrixJson(splitShards([ref('a', 5), ref('b', 1)], 3))) as { include: { shard: number; repos: string }[] };
    expect(matrix).toEqual({ include: [{ shard: 0, repos: 'o/a' }, { shard: 1, repos: 'o/b' }] });
  });

  it('refuses a bad shard count, naming the option', () => {
    expect(() => splitShards(repos, 0)).toThrow(/--shards must be an integer from 1 to 256/);
    expect(() => splitShards(repos, 1.5)).toThrow(TypeError);
  });
});

function run(repository: string, results: { fp: string; commit?: string; line: number }[]): Log['runs'][number] {
  return {
    tool: { driver: { name: 'spillway', rules: [{ id: 'aws-access-key-id' }] } },
    versionControlProvenance: [{ repositoryUri: repository }],
    results: results.map(({ fp, commit, line }) => ({
      ruleId: 'aws-access-key-id',
      message: { text: 'AWS access key ID' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'a.env' }, region: { startLine: line } } }],
      partialFingerprints: { 'spillway/v1': fp, ...(commit ? { commitSha: commit } : {}) },
    })),
  };
}

describe('mergeSarif', () => {
  it('concatenates runs and drops a result seen before for the same repository', () => {
    const a: Log = { version: '2.1.0', runs: [run('https://github.test/o/a', [{ fp: 'x', commit: 'c1', line: 1 }, { fp: 'y', line: 2 }])] };
    const b: Log = { version: '2.1.0', runs: [
      run('https://github.test/o/a', [{ fp: 'x', commit: 'c1', line: 1 }, { fp: 'x', commit: 'c2', line: 1 }]),
      run('https://github.test/o/b', [{ fp: 'x', commit: 'c1', line: 1 }]),
    ] };
    const { log, duplicates } = mergeSarif([a, b]);
    expect(duplicates).toBe(1);
    expect(log.runs.map((r) => r.results?.length)).toEqual([2, 1, 1]);
    expect(log.runs[1]?.results?.[0]?.partialFingerprints?.['commitSha']).toBe('c2');
  });
});

describe('spillway merge', () => {
  const dir = tempDir('merge');
  afterAll(dir.cleanup);
  const write = (name: string, log: unknown): string => {
    writeFileSync(`${dir.path}/${name}`, JSON.stringify(log));
    return name;
  };

  it('writes the merged log (mode 0600) and reports what it dropped', async () => {
    const one = write('shard-0.sarif', { version: '2.1.0', runs: [run('r1', [{ fp: 'x', line: 1 }])] });
    const two = write('shard-1.sarif', { version: '2.1.0', runs: [run('r1', [{ fp: 'x', line: 1 }]), run('r2', [{ fp: 'z', line: 3 }])] });
    const result = await runCommand(mergeCommand, ['merge', one, two, '--output', 'merged.sarif'], {}, dir.path);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('spillway merge: 2 log(s), 3 run(s), 2 result(s), 1 duplicate(s) dropped\n');
    const merged = JSON.parse(readFileSync(`${dir.path}/merged.sarif`, 'utf8')) as Log;
    expect(merged.runs.map((r) => r.results?.length)).toEqual([1, 0, 1]);
    expect(statSync(`${dir.path}/merged.sarif`).mode & 0o777).toBe(0o600);
  });

  it('names a bad input, merges the rest, and exits 2', async () => {
    const good = write('good.sarif', { version: '2.1.0', runs: [run('r1', [{ fp: 'x', line: 1 }])] });
    write('bad.sarif', { version: 1, findings: [] });
    const result = await runCommand(mergeCommand, ['merge', good, 'bad.sarif', 'missing.sarif'], {}, dir.path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('spillway merge: bad.sarif: not a SARIF 2.1.0 log');
    expect(result.stderr).toContain('spillway merge: missing.sarif: cannot read it');
    expect((JSON.parse(result.stdout) as Log).runs).toHaveLength(1);
  });
});

describe('audit state', () => {
  const dir = tempDir('state');
  afterAll(dir.cleanup);

  it('resumes an incomplete run for the same target only, and starts afresh after a finished one', async () => {
    const file = statePath(dir.path, 'org:o');
    const writer = new StateWriter(file, await loadState(file, 'org:o', new Date(), () => {}));
    await writer.record('o/a', { status: 'done', sarif: '/x/a.sarif', findings: 1, finishedAt: 'now', seconds: 1 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.keys((await loadState(file, 'org:o', new Date(), () => {})).repos)).toEqual(['o/a']);
    expect((await loadState(statePath(dir.path, 'org:p'), 'org:p', new Date(), () => {})).repos).toEqual({});
    await writer.finish();
    expect((await loadState(file, 'org:o', new Date(), () => {})).repos).toEqual({});
  });

  it('starts afresh, saying so, from an unreadable state file', async () => {
    const file = statePath(dir.path, 'org:broken');
    const writer = new StateWriter(file, await loadState(file, 'org:broken', new Date(), () => {}));
    await writer.save();
    writeFileSync(file, '{"version":1,');
    const problems: string[] = [];
    expect((await loadState(file, 'org:broken', new Date(), (m) => problems.push(m))).repos).toEqual({});
    expect(problems[0]).toMatch(/unreadable audit state, starting afresh/);
  });
});
