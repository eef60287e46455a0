// A local HTTP server on 127.0.0.1 that plays the GitHub Actions logs API: runs, jobs, log redirects, 404, rate limits.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGithub {
  url: string;
  /** Every request: method, path with query, and whether it carried the token. */
  requests: { path: string; authorized: boolean }[];
  close(): Promise<void>;
}

export interface FakeGithubData {
  token: string;
  runs: { id: number; created_at: string }[];
  /** Zip archive of each run's logs. */
  runLogs: Record<number, Uint8Array>;
  jobs: Record<number, { run_id: number; name: string; log: string }>;
  /** Paths answered once with 403 and exhausted rate-limit headers before they succeed. */
  rateLimitedOnce: string[];
}

/** Starts the server; the routes follow docs.github.com/rest/actions (workflow-runs, workflow-jobs). */
export async function startFakeGithub(data: FakeGithubData): Promise<FakeGithub> {
  const requests: FakeGithub['requests'] = [];
  const limited = new Set(data.rateLimitedOnce);
  let base = '';
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', base);
    requests.push({ path: url.pathname + url.search, authorized: req.headers.authorization === `token ${data.token}` });
    if (url.pathname.startsWith('/_blob/')) {
      const [, , kind, id] = url.pathname.split('/');
      if (kind === 'run') {
        res.writeHead(200, { 'content-type': 'application/zip' });
        res.end(Buffer.from(data.runLogs[Number(id)]!));
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(data.jobs[Number(id)]!.log);
      }
      return;
    }
    if (req.headers.authorization !== `token ${data.token}`) return json(res, 401, { message: 'Requires authentication' });
    if (limited.delete(url.pathname)) {
      return json(res, 403, { message: 'API rate limit exceeded' }, {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
      });
    }
    let m: RegExpExecArray | null;
    if (url.pathname === '/repos/acme/app/actions/runs') {
      const created = url.searchParams.get('created') ?? '';
      const since = created.startsWith('>=') ? Date.parse(created.slice(2)) : 0;
      const runs = data.runs.filter((r) => Date.parse(r.created_at) >= since);
      return json(res, 200, { total_count: runs.length, workflow_runs: runs });
    }
    if ((m = /^\/repos\/acme\/app\/actions\/runs\/(\d+)\/logs$/.exec(url.pathname))) {
      if (!data.runLogs[Number(m[1])]) return json(res, 404, { message: 'Not Found' });
      res.writeHead(302, { location: `${base}/_blob/run/${m[1]}` });
      return void res.end();
    }
    if ((m = /^\/repos\/acme\/app\/actions\/jobs\/(\d+)(\/logs)?$/.exec(url.pathname))) {
      const job = data.jobs[Number(m[1])];
      if (!job) return json(res, 404, { message: 'Not Found' });
      if (!m[2]) return json(res, 200, { id: Number(m[1]), run_id: job.run_id, name: job.name, steps: [] });
      res.writeHead(302, { location: `${base}/_blob/job/${m[1]}` });
      return void res.end();
    }
    json(res, 404, { message: 'Not Found' });
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
