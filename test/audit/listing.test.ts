// Repository listing against a local server playing the GitHub API: Link pagination, rate-limit headers, a secondary limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/audit/github-client.js';
import { listOrgRepos, listUserRepos, parseReposList } from '../../src/audit/repos.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';

const repo = (name: string, size: number) => ({ name, cloneUrl: `file:///srv/${name}`, size });
let github: FakeGitHub;
const logs: string[] = [];

beforeAll(async () => {
  github = await startFakeGitHub({
    orgs: { 'octo-org': [repo('epsilon', 5), repo('alpha', 300), repo('delta', 40), repo('beta', 1), repo('gamma', 7000)] },
    users: { octocat: [repo('dotfiles', 2)] },
    maxPageSize: 2,
    secondaryLimitOnce: ['/orgs/octo-org/repos?type=all&per_page=100&page=2'],
  });
});
afterAll(() => github.close());

const client = () => createGitHubClient({ baseUrl: github.url, token: 'test-token-value', log: (line) => logs.push(line) });

describe('listing repositories', () => {
  it('follows Link pagination, waits out a secondary rate limit, and sorts by name', async () => {
    const repos = await listOrgRepos(client(), 'octo-org');
    expect(repos.map((r) => r.fullName)).toEqual(['octo-org/alpha', 'octo-org/beta', 'octo-org/delta', 'octo-org/epsilon', 'octo-org/gamma']);
    expect(repos.find((r) => r.fullName === 'octo-org/gamma')).toMatchObject({ size: 7000, cloneUrl: 'file:///srv/gamma', htmlUrl: 'https://github.test/octo-org/gamma' });
    const base = '/orgs/octo-org/repos?type=all&per_page=100';
    // Page 2 twice: the first answer was the 403 secondary rate limit.
    expect(github.requests.map((r) => r.path)).toEqual([base, `${base}&page=2`, `${base}&page=2`, `${base}&page=3`]);
    expect(logs.some((line) => /secondary rate limit .*retrying in 1s/.test(line))).toBe(true);
    expect(github.requests.every((r) => r.authorization === 'token test-token-value')).toBe(true);
    expect(logs.join('\n')).not.toContain('test-token-value');
  });

  it('lists a user\'s repositories', async () => {
    expect((await listUserRepos(client(), 'octocat')).map((r) => r.fullName)).toEqual(['octocat/dotfiles']);
  });

  it('rejects with the HTTP status for an unknown organisation', async () => {
    await expect(listOrgRepos(client(), 'nobody')).rejects.toMatchObject({ status: 404 });
  });
});

describe('parseReposList', () => {
  it('reads owner/name and clone URLs, one a line or comma-separated, ignoring comments', () => {
    const repos = parseReposList('# audit list\nocto-org/alpha, octo-org/beta\n\nfile:///srv/git/team/tools.git  # local\n', 'repos.txt', 'https://ghe.test/');
    expect(repos).toEqual([
      { fullName: 'octo-org/alpha', cloneUrl: 'https://ghe.test/octo-org/alpha.git', size: 0 },
      { fullName: 'octo-org/beta', cloneUrl: 'https://ghe.test/octo-org/beta.git', size: 0 },
      { fullName: 'team/tools', cloneUrl: 'file:///srv/git/team/tools.git', size: 0 },
    ]);
  });

  it('names the file and line of a bad entry', () => {
    expect(() => parseReposList('octo-org/alpha\nssh://git@host/x/y.git\n', 'repos.txt', 'https://github.com')).toThrow(/^repos\.txt:2: "ssh:\/\/git@host\/x\/y\.git" is neither/);
  });
});

const real = process.env['GITHUB_TOKEN'] && process.env['GITHUB_API_URL'] && process.env['SPILLWAY_TEST_GITHUB_ORG'];
if (!real) console.warn('SKIPPED: listing against the real GitHub API (set GITHUB_TOKEN, GITHUB_API_URL and SPILLWAY_TEST_GITHUB_ORG)');
describe.skipIf(!real)('listing against the real GitHub API', () => {
  it('lists the organisation named by SPILLWAY_TEST_GITHUB_ORG', async () => {
    const octokit = createGitHubClient({ baseUrl: process.env['GITHUB_API_URL']!, token: process.env['GITHUB_TOKEN']!, log: () => {} });
    const repos = await listOrgRepos(octokit, process.env['SPILLWAY_TEST_GITHUB_ORG']!);
    expect(repos.length).toBeGreaterThan(0);
    expect(repos.every((r) => r.fullName.startsWith(`${process.env['SPILLWAY_TEST_GITHUB_ORG']}/`))).toBe(true);
  });
});
