// The GitHub issues contract: local server always, a real repository when GITHUB_TOKEN, GITHUB_API_URL and SPILLWAY_TEST_GITHUB_REPO are set.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rejected, Unauthorized, NotFound } from '../../src/remediate/errors.js';
import { GitHubIssues } from '../../src/remediate/github/client.js';
import { parseRepoRef, type RepoRef } from '../../src/remediate/github/repo-ref.js';
import { startGitHub, type FakeGitHub } from './servers/github-server.js';
import { GITHUB_TOKEN } from './harness.js';

interface GitHubTarget {
  baseUrl: string;
  token: string;
  repo: RepoRef;
  cleanup(): Promise<void>;
}

function contract(setup: () => Promise<GitHubTarget>): void {
  let t: GitHubTarget;
  let issues: GitHubIssues;
  const marker = `<!-- spillway-incident: contract-${randomBytes(4).toString('hex')} -->`;
  beforeAll(async () => {
    t = await setup();
    issues = new GitHubIssues({ token: t.token, baseUrl: t.baseUrl });
  });
  afterAll(async () => t?.cleanup());

  it('checks access to the repository and says who can read it; a missing one is NotFound', async () => {
    expect(['public', 'private', 'internal']).toContain((await issues.checkAccess(t.repo)).visibility);
    await expect(issues.checkAccess({ owner: t.repo.owner, repo: `${t.repo.repo}-missing-${randomBytes(3).toString('hex')}` })).rejects.toBeInstanceOf(NotFound);
  });

  it('comments on an issue once: the comment is found again by its marker', async () => {
    const created = await issues.createIssue(t.repo, { title: 'spillway contract test (comment)', body: 'A test issue for comments.', labels: ['security', 'incident'] });
    const commentMarker = `<!-- spillway-rollback: contract-${randomBytes(4).toString('hex')} -->`;
    expect(await issues.findComment(t.repo, created.number, commentMarker)).toBeUndefined();
    const url = await issues.addComment(t.repo, created.number, `${commentMarker}\nRolled back.`);
    expect(await issues.findComment(t.repo, created.number, commentMarker)).toBe(url);
  });

  it('creates an issue with labels and finds it again by its marker', async () => {
    expect(await issues.findIssue(t.repo, marker)).toBeUndefined();
    const created = await issues.createIssue(t.repo, { title: 'spillway contract test', body: `${marker}\nA test issue.`, labels: ['security', 'incident'] });
    expect(created.number).toBeGreaterThan(0);
    expect(created.url).toContain(`/issues/${created.number}`);
    expect(await issues.findIssue(t.repo, marker)).toEqual(created);
  });

  it('a bad token is Unauthorized (401) and no error carries it', async () => {
    const badToken = `ghp_${'w'.repeat(36)}`;
    const bad = new GitHubIssues({ token: badToken, baseUrl: t.baseUrl });
    const err = await bad.checkAccess(t.repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unauthorized);
    expect((err as Unauthorized).status).toBe(401);
    expect((err as Error).message).toContain('Bad credentials');
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err)) + String((err as Error).cause)).not.toContain(badToken);
  });

  it('an invalid issue is Rejected (422 Validation Failed)', async () => {
    const err = await issues.createIssue(t.repo, { title: '', body: 'x', labels: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Rejected);
    expect((err as Rejected).status).toBe(422);
    expect((err as Error).message).toContain('Validation Failed');
  });
}

describe('GitHub issues contract: local server', () => {
  let fake: FakeGitHub;
  contract(async () => {
    fake = await startGitHub(GITHUB_TOKEN, 'acme/incidents');
    return { baseUrl: fake.url, token: GITHUB_TOKEN, repo: { owner: 'acme', repo: 'incidents' }, cleanup: () => fake.close() };
  });

  it('a 500 is Unavailable and creates nothing', async () => {
    fake.createFailures = 1;
    const issues = new GitHubIssues({ token: GITHUB_TOKEN, baseUrl: fake.url });
    const before = fake.issues.length;
    await expect(issues.createIssue({ owner: 'acme', repo: 'incidents' }, { title: 't', body: 'b', labels: [] })).rejects.toMatchObject({ name: 'Unavailable', status: 500 });
    expect(fake.issues).toHaveLength(before);
  });

  it('parses OWNER/REPO strictly', () => {
    expect(parseRepoRef('acme/incidents')).toEqual({ owner: 'acme', repo: 'incidents' });
    expect(() => parseRepoRef('acme')).toThrow('--github: expected OWNER/REPO');
  });
});

const realGitHub = process.env.GITHUB_TOKEN && process.env.GITHUB_API_URL && process.env.SPILLWAY_TEST_GITHUB_REPO;
describe.skipIf(!realGitHub)(
  `GitHub issues contract: real repository${realGitHub ? '' : ' — SKIPPED: set GITHUB_TOKEN, GITHUB_API_URL and SPILLWAY_TEST_GITHUB_REPO=owner/repo (a scratch repository: the test opens an issue there)'}`,
  () => {
    contract(async () => ({
      baseUrl: process.env.GITHUB_API_URL!,
      token: process.env.GITHUB_TOKEN!,
      repo: parseRepoRef(process.env.SPILLWAY_TEST_GITHUB_REPO!),
      cleanup: async () => undefined,
    }));
  },
);
