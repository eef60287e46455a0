// Which repositories an audit covers: an organisation's or a user's (GitHub REST, paginated), or a list in a file.
import type { AuditOctokit } from './github-client.js';
import { collectPages, type Pages } from '../net/paginate.js';

/** A repository to audit. */
export interface RepoRef {
  /** `owner/name`: the key in state files, reports and shard lists. */
  fullName: string;
  cloneUrl: string;
  /** Size in KiB as the API reports it (0 when unknown): shards are balanced on it. */
  size: number;
  htmlUrl?: string;
}

interface ApiRepo {
  full_name: string;
  clone_url?: string;
  html_url?: string;
  size?: number;
}

function fromApi(repo: ApiRepo): RepoRef {
  const ref: RepoRef = { fullName: repo.full_name, cloneUrl: repo.clone_url ?? '', size: repo.size ?? 0 };
  if (repo.html_url) ref.htmlUrl = repo.html_url;
  return ref;
}

/** Pages of 100 repositories read at most (100,000 repositories): a server offering pages for ever is an error. */
const MAX_LIST_PAGES = 1000;

/** An audit that silently missed repositories would be worse than none: a list cut short is an error. */
function complete<T>(pages: Pages<T>): T[] {
  if (pages.stopped) throw new Error(pages.stopped);
  return pages.items;
}

const byName = (a: RepoRef, b: RepoRef): number => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0);

/** Every repository of organisation `org` (all types the token can see), sorted by name. */
export async function listOrgRepos(octokit: AuditOctokit, org: string): Promise<RepoRef[]> {
  const repos = complete(await collectPages(octokit.paginate.iterator(octokit.rest.repos.listForOrg, { org, type: 'all', per_page: 100 }), `repositories of ${org}`, MAX_LIST_PAGES));
  return repos.map(fromApi).sort(byName);
}

/** Every repository user `username` owns, sorted by name. */
export async function listUserRepos(octokit: AuditOctokit, username: string): Promise<RepoRef[]> {
  const repos = complete(await collectPages(octokit.paginate.iterator(octokit.rest.repos.listForUser, { username, type: 'owner', per_page: 100 }), `repositories of ${username}`, MAX_LIST_PAGES));
  return repos.map(fromApi).sort(byName);
}

/**
 * Repositories listed in a file, one a line (blank lines and `#` comments ignored; commas also separate): `owner/name`
 * (cloned from `serverUrl`), or a clone URL (https://... or file://...). Throws a TypeError naming the line when bad.
 */
export function parseReposList(text: string, file: string, serverUrl: string): RepoRef[] {
  const repos = new Map<string, RepoRef>();
  text.split(/\r?\n/).forEach((raw, index) => {
    for (const entry of raw.replace(/#.*/, '').split(',').map((part) => part.trim()).filter(Boolean)) {
      const ref = refOf(entry, serverUrl);
      if (!ref) throw new TypeError(`${file}:${index + 1}: "${entry}" is neither owner/name nor an https:// or file:// clone URL`);
      repos.set(ref.fullName, ref);
    }
  });
  return [...repos.values()].sort(byName);
}

function refOf(entry: string, serverUrl: string): RepoRef | undefined {
  if (/^[\w.-]+\/[\w.-]+$/.test(entry)) {
    return { fullName: entry, cloneUrl: `${serverUrl.replace(/\/+$/, '')}/${entry}.git`, size: 0 };
  }
  if (!/^(https|file):\/\//.test(entry)) return undefined;
  const parts = new URL(entry).pathname.replace(/\.git\/?$/, '').split('/').filter(Boolean);
  if (parts.length < 2) return undefined;
  return { fullName: parts.slice(-2).join('/'), cloneUrl: entry, size: 0 };
}
