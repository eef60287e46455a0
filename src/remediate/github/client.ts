// GitHub issues for incidents through @octokit/rest: check access, find an earlier issue, open one.
import { Octokit } from '@octokit/rest';
import { guardedFetch } from '../../net/guarded-fetch.js';
import { collectPages } from '../../net/paginate.js';
import { scrubCredential, Unauthorized, Unavailable } from '../errors.js';
import type { FetchLike } from '../http.js';
import { githubError } from './errors.js';
import type { RepoRef } from './repo-ref.js';

export interface IssueRef {
  number: number;
  url: string;
}

/** What remediation needs from an issue tracker. */
export interface IssueTracker {
  /**
   * Fails with Unauthorized / NotFound before anything is changed when the token cannot see the repository; else says
   * who can read it (`public`: everyone, so an incident issue there is public).
   */
  checkAccess(repo: RepoRef): Promise<{ visibility: 'public' | 'private' | 'internal' }>;
  /** An issue (open or closed) labelled `incident` whose body contains `marker`. */
  findIssue(repo: RepoRef, marker: string): Promise<IssueRef | undefined>;
  createIssue(repo: RepoRef, issue: { title: string; body: string; labels: string[] }): Promise<IssueRef>;
  /** The URL of a comment on issue `number` whose body contains `marker`. */
  findComment(repo: RepoRef, number: number, marker: string): Promise<string | undefined>;
  /** Adds a comment to issue `number`; returns its URL. */
  addComment(repo: RepoRef, number: number, body: string): Promise<string>;
}

/** A list that stopped short (endless pagination) would make a duplicate issue: it is an error instead. */
function complete<T>(pages: { items: T[]; stopped?: string }): T[] {
  if (pages.stopped) throw new Unavailable(`github: ${pages.stopped}`, { service: 'github' });
  return pages.items;
}

/** An IssueTracker over the GitHub REST API; `baseUrl` is GITHUB_API_URL (GitHub Enterprise, tests). */
export class GitHubIssues implements IssueTracker {
  readonly #octokit: Octokit;

  /** `fetch`: the HTTP seam, the shared policy (src/net/guarded-fetch.ts) by default; `env` configures that policy. */
  constructor(options: { token: string; baseUrl?: string; fetch?: FetchLike; env?: Record<string, string | undefined> }) {
    this.#octokit = new Octokit({
      auth: options.token,
      baseUrl: options.baseUrl ?? 'https://api.github.com',
      userAgent: 'spillway-remediate',
      request: { fetch: options.fetch ?? guardedFetch(options.env ? { env: options.env } : {}) },
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
  }

  async checkAccess(repo: RepoRef): Promise<{ visibility: 'public' | 'private' | 'internal' }> {
    try {
      const { data } = await this.#octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
      const visibility = data.visibility === 'internal' || data.visibility === 'private' || data.visibility === 'public' ? data.visibility : data.private ? 'private' : 'public';
      return { visibility };
    } catch (err) {
      throw githubError(`read ${repo.owner}/${repo.repo}`, err);
    }
  }

  async findIssue(repo: RepoRef, marker: string): Promise<IssueRef | undefined> {
    try {
      const what = `list incident issues of ${repo.owner}/${repo.repo}`;
      const issues = complete(await collectPages(this.#octokit.paginate.iterator(this.#octokit.rest.issues.listForRepo, { ...repo, labels: 'incident', state: 'all', per_page: 100 }), what));
      const hit = issues.find((i) => (i.body ?? '').includes(marker));
      return hit ? { number: hit.number, url: hit.html_url } : undefined;
    } catch (err) {
      throw githubError(`list incident issues of ${repo.owner}/${repo.repo}`, err);
    }
  }

  async createIssue(repo: RepoRef, issue: { title: string; body: string; labels: string[] }): Promise<IssueRef> {
    try {
      const { data } = await this.#octokit.rest.issues.create({ ...repo, ...issue });
      return { number: data.number, url: data.html_url };
    } catch (err) {
      throw githubError(`create an issue in ${repo.owner}/${repo.repo}`, err);
    }
  }

  async findComment(repo: RepoRef, number: number, marker: string): Promise<string | undefined> {
    try {
      const what = `list the comments of ${repo.owner}/${repo.repo}#${number}`;
      const comments = complete(await collectPages(this.#octokit.paginate.iterator(this.#octokit.rest.issues.listComments, { ...repo, issue_number: number, per_page: 100 }), what));
      return comments.find((c) => (c.body ?? '').includes(marker))?.html_url;
    } catch (err) {
      throw githubError(`list the comments of ${repo.owner}/${repo.repo}#${number}`, err);
    }
  }

  async addComment(repo: RepoRef, number: number, body: string): Promise<string> {
    try {
      const { data } = await this.#octokit.rest.issues.createComment({ ...repo, issue_number: number, body });
      return data.html_url;
    } catch (err) {
      throw githubError(`comment on ${repo.owner}/${repo.repo}#${number}`, err);
    }
  }
}

/** A GitHubIssues from GITHUB_TOKEN and GITHUB_API_URL; Unauthorized when the token is missing. */
export function connectGitHub(env: Record<string, string | undefined>, fetch?: FetchLike): GitHubIssues {
  if (!env.GITHUB_TOKEN) throw new Unauthorized('github: GITHUB_TOKEN is not set (needed for --github)', { service: 'github' });
  scrubCredential(env.GITHUB_TOKEN);
  return new GitHubIssues({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL || undefined, fetch, env });
}
