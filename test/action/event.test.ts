// Scan plans from real-shaped event payloads, and their resolution against a real repository.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { planScan } from '../../src/action/event.js';
import { resolvePlan } from '../../src/action/resolve-plan.js';
import { commit, git, initRepo, tempDir } from '../helpers/temp-git.js';

const event = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/action/events/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('planScan', () => {
  it('scans base..head of a pull request', () => {
    const plan = planScan('auto', 'pull_request', event('pull_request'));
    expect(plan).toMatchObject({ kind: 'range', base: '1'.repeat(40), head: '2'.repeat(40), fallback: { defaultBranch: 'main' } });
  });

  it('scans before..after of a push, and says when it was forced', () => {
    expect(planScan('auto', 'push', event('push'))).toMatchObject({ kind: 'range', base: '1'.repeat(40), head: '2'.repeat(40) });
    expect(planScan('diff', 'push', event('push-forced')).reason).toContain('forced push');
  });

  it('scans what a new branch adds over the default branch when before is all zeros', () => {
    expect(planScan('auto', 'push', event('push-new-branch'))).toMatchObject({ kind: 'new-branch', head: '2'.repeat(40), defaultBranch: 'main' });
  });

  it('scans nothing when a push deletes a branch', () => {
    expect(planScan('auto', 'push', event('push-delete')).kind).toBe('nothing');
  });

  it('scans the full history on schedule and workflow_dispatch, and in diff mode says why', () => {
    expect(planScan('auto', 'schedule', event('schedule')).kind).toBe('full-history');
    expect(planScan('auto', 'workflow_dispatch', event('workflow_dispatch')).kind).toBe('full-history');
    expect(planScan('diff', 'schedule', event('schedule')).reason).toContain('has no commit range');
  });

  it('lets mode override the event', () => {
    expect(planScan('history', 'pull_request', event('pull_request')).kind).toBe('full-history');
    expect(planScan('files', 'push', event('push')).kind).toBe('files');
  });

  it('refuses a payload whose commit ids are not commit ids, naming the field', () => {
    const bad = { ...event('push'), after: 'main; rm -rf /' };
    expect(() => planScan('auto', 'push', bad)).toThrow(/after is not a commit id/);
    expect(() => planScan('auto', 'pull_request', {})).toThrow(TypeError);
  });
});

describe('resolvePlan on a real repository', () => {
  const dir = tempDir('plan');
  const repo = initRepo(`${dir.path}/repo`);
  const c1 = commit(repo, 'one', { 'a.txt': 'a\n' });
  const c2 = commit(repo, 'two', { 'b.txt': 'b\n' });
  git(repo, 'checkout', '-q', '-b', 'feature');
  const c3 = commit(repo, 'three', { 'c.txt': 'c\n' });
  afterAll(dir.cleanup);

  it('passes base..head when both commits are present', async () => {
    const resolved = await resolvePlan(repo, { kind: 'range', base: c1, head: c3, reason: 'r', fallback: { kind: 'new-branch', head: c3 } });
    expect(resolved.target).toEqual({ kind: 'history', repo, revs: [`${c1}..${c3}`] });
  });

  it('falls back to default-branch..head when the base is gone (forced push)', async () => {
    const gone = 'f'.repeat(40);
    const resolved = await resolvePlan(repo, { kind: 'range', base: gone, head: c3, reason: 'push', fallback: { kind: 'new-branch', head: c3, defaultBranch: 'main' } });
    expect(resolved.target).toEqual({ kind: 'history', repo, revs: [`${c2}..${c3}`] });
    expect(resolved.description).toContain('is not in the checkout');
  });

  it('scans everything reachable from head when the branch is the default branch itself', async () => {
    const resolved = await resolvePlan(repo, { kind: 'new-branch', head: c2, defaultBranch: 'main', reason: 'created main' });
    expect(resolved.target).toEqual({ kind: 'history', repo, revs: [c2] });
  });

  it('asks for fetch-depth 0 when the head commit is missing', async () => {
    const plan = { kind: 'range', base: c1, head: 'e'.repeat(40), reason: 'r', fallback: { kind: 'new-branch', head: 'e'.repeat(40) } } as const;
    await expect(resolvePlan(repo, plan)).rejects.toThrow(/fetch-depth: 0/);
  });

  it('skips a deleted branch and scans the working tree in files mode', async () => {
    expect((await resolvePlan(repo, { kind: 'nothing', reason: 'deleted' })).target).toBeUndefined();
    expect((await resolvePlan(repo, { kind: 'files', reason: 'files' })).target).toEqual({ kind: 'files', root: repo });
  });
});
