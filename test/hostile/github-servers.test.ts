// A faulty or hostile GitHub (logs --github, incident issues): echoed tokens stay out of notes, a zip bomb is cut
// with what came before it scanned, endless pagination stops, downloads elsewhere get no token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubIssues } from '../../src/remediate/github/client.js';
import { GithubLogsSource, type GithubLogsOptions } from '../../src/sources/github-logs.js';
import type { Chunk } from '../../src/types.js';
import { builtinDetector } from '../helpers/detector.js';
import { sendJson, serve, type TestServer } from './servers.js';

const TOKEN = ['ghp', 'k'.repeat(36)].join('_');
const ts = (s: string): string => `2024-03-01T10:00:00.0000000Z ${s}`;
const leak = (name: string): string => `+ curl -fsS -u deploy:${name}-f4ke-pass https://artifacts.internal/x.tgz`;

const open: TestServer[] = [];
async function server(handler: (req: IncomingMessage, res: ServerResponse, url: URL) => void): Promise<TestServer> {
  const s = await serve((req, res) => handler(req, res, new URL(req.url ?? '/', 'http://x')));
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function scan(opts: Partial<GithubLogsOptions> & { baseUrl: string }) {
  const source = new GithubLogsSource({ repository: 'acme/app', token: TOKEN, sleep: async () => undefined, ...opts });
  const chunks: Chunk[] = [];
  for await (const chunk of source.chunks()) chunks.push(chunk);
  const detector = await builtinDetector();
  return { notes: source.notes, findings: chunks.flatMap((c) => detector.detect(c)) };
}

describe('logs --github against a hostile server', () => {
  it('a 500 whose body echoes the token: the note says the status, not the body', async () => {
    const s = await server((req, res) => {
      if (req.url!.includes('/runs/7/')) return sendJson(res, 500, { message: `internal error while serving ${String(req.headers.authorization)}` });
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`bad gateway for ${String(req.headers.authorization)}`);
    });
    for (const runId of [7, 8]) {
      const { notes } = await scan({ baseUrl: s.url, runId });
      expect(notes).toHaveLength(1);
      expect(notes[0]!.message).toMatch(/^request failed \(status 50[02]\)/);
      expect(JSON.stringify(notes)).not.toContain(TOKEN.slice(4, 20));
    }
  });

  it('the log archive redirected to another origin is fetched without the token', async () => {
    const archive = zipSync({ '1_build.txt': strToU8(ts(leak('Blob'))) });
    const blobs = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(Buffer.from(archive));
    });
    const api = await server((_req, res, url) => {
      res.writeHead(302, { location: `${blobs.url}/signed${url.pathname}?sig=abc` });
      res.end();
    });
    const { findings, notes } = await scan({ baseUrl: api.url, runId: 9 });
    expect(notes).toEqual([]);
    expect(findings.map((f) => f.secret.reveal())).toEqual([expect.stringContaining('Blob-f4ke-pass')]);
    expect(api.seen[0]!.headers.authorization).toBe(`token ${TOKEN}`);
    expect(blobs.seen.map((r) => r.headers.authorization)).toEqual([undefined]);
  });

  it('a zip bomb stops at the unpacked-size cap, with a note; the token before the cut is found', async () => {
    const bomb = zipSync({ '1_build.txt': Buffer.concat([Buffer.from(`${ts(leak('Early'))}\n`), Buffer.alloc(16 * 1024 * 1024, 0x41)]), '2_late.txt': strToU8(ts(leak('Late'))) }, { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(Buffer.from(bomb));
    });
    const { findings, notes } = await scan({ baseUrl: s.url, runId: 10, maxUnzippedBytes: 1024 * 1024 });
    expect(findings.map((f) => f.secret.reveal())).toEqual([expect.stringContaining('Early-f4ke-pass')]);
    expect(notes).toEqual([
      expect.objectContaining({ level: 'warning', message: 'log archive unpacks to more than 1 MiB: scanned what came before (1_build.txt cut short, later files skipped)' }),
    ]);
  });

  const endless = (repeat: boolean) => (_req: IncomingMessage, res: ServerResponse, url: URL) => {
    const page = Number(url.searchParams.get('page') ?? '1');
    const next = `${url.pathname}?created=x&per_page=100&page=${repeat ? 2 : page + 1}`;
    sendJson(res, 200, { total_count: 1e9, workflow_runs: [] }, { link: `<http://${_req.headers.host}${next}>; rel="next"` });
  };

  it('runs --since: a server offering pages for ever is read for 100 pages, with a note', { timeout: 60_000 }, async () => {
    const s = await server(endless(false));
    const { notes } = await scan({ baseUrl: s.url, since: '2024-01-01' });
    expect(s.seen).toHaveLength(100);
    expect(notes).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringContaining('runs since 2024-01-01: stopped after 100 pages (0 items); the server kept offering more') })]);
  });

  it('runs --since: a repeated cursor stops at once, with a note', async () => {
    const s = await server(endless(true));
    const { notes } = await scan({ baseUrl: s.url, since: '2024-01-01' });
    expect(s.seen).toHaveLength(3);
    expect(notes[0]!.message).toContain('the server offered page /repos/acme/app/actions/runs?created&per_page&page again; stopped after 2 pages');
  });
});

describe('incident issues against a hostile server', () => {
  it('endless pagination of issues is an error, not a duplicate issue', { timeout: 60_000 }, async () => {
    const s = await server((req, res, url) => {
      const page = Number(url.searchParams.get('page') ?? '1');
      sendJson(res, 200, [], { link: `<http://${req.headers.host}${url.pathname}?page=${page + 1}>; rel="next"` });
    });
    const issues = new GitHubIssues({ token: TOKEN, baseUrl: s.url });
    await expect(issues.findIssue({ owner: 'acme', repo: 'incidents' }, 'marker')).rejects.toMatchObject({
      name: 'Unavailable',
      message: 'github: list incident issues of acme/incidents: stopped after 100 pages (0 items); the server kept offering more',
    });
  });
});
