// A local HTTP server on 127.0.0.1 that plays the parts of the GitHub REST API the audit uses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  name: string;
  cloneUrl: string;
  size: number;
}

export interface FakeGitHub {
  url: string;
  /** Every request, as `METHOD path?query`, with its Authorization header. */
  requests: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  orgs?: Record<string, FakeRepo[]>;
  users?: Record<string, FakeRepo[]>;
  /** Largest page the server returns, whatever per_page asks (GitHub caps per_page at 100). */
  maxPageSize?: number;
  /** Paths (with query) answered once with a 403 secondary rate limit and retry-after: 1. */
  secondaryLimitOnce?: string[];
}

function repoJson(owner: string, repo: FakeRepo, url: string): Record<string, unknown> {
  return {
    id: repo.name.length * 1000 + repo.size,
    name: repo.name,
    full_name: `${owner}/${repo.name}`,
    private: false,
    owner: { login: owner, type: 'Organization' },
    html_url: `${url}/${owner}/${repo.name}`,
    clone_url: repo.cloneUrl,
    size: repo.size,
    default_branch: 'main',
    archived: false,
    fork: false,
  };
}

function rateHeaders(remaining: number): Record<string, string> {
  return {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-used': String(5000 - remaining),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
  };
}

/** Starts the server; `close()` stops it. */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const requests: FakeGitHub['requests'] = [];
  const limited = new Set(options.secondaryLimitOnce ?? []);
  let remaining = 5000;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pathWithQuery = `${url.pathname}${url.search}`;
    requests.push({ path: pathWithQuery, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    remaining -= 1;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...rateHeaders(remaining), ...headers });
      res.end(JSON.stringify(body));
    };
    if (limited.delete(pathWithQuery)) {
      send(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }, { 'retry-after': '1' });
      return;
    }
    const match = /^\/(orgs|users)\/([^/]+)\/repos$/.exec(url.pathname);
    const table = match?.[1] === 'orgs' ? options.orgs : options.users;
    const repos = match ? table?.[decodeURIComponent(match[2]!)] : undefined;
    if (!match || !repos) {
      send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), options.maxPageSize ?? 100);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(repos.length / perPage));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${url.pathname}`;
    const link = (n: number, rel: string): string => {
      const query = new URLSearchParams(url.searchParams);
      query.set('page', String(n));
      return `<${base}?${query.toString()}>; rel="${rel}"`;
    };
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    const owner = decodeURIComponent(match[2]!);
    const body = repos.slice((page - 1) * perPage, page * perPage).map((repo) => repoJson(owner, repo, 'https://github.test'));
    send(200, body, links.length > 0 ? { link: links.join(', ') } : {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
