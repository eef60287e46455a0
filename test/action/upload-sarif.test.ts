// upload-sarif: the action posts its SARIF log to code scanning's REST endpoint (a loopback server following
// POST /repos/{owner}/{repo}/code-scanning/sarifs), gzipped and base64-encoded, for the job's commit and ref.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/run.js';
import { commit, initRepo, tempDir } from '../helpers/temp-git.js';

const dir = tempDir('action-upload');
afterAll(dir.cleanup);
const workspace = initRepo(`${dir.path}/workspace`);
const head = commit(workspace, 'Initial import', { 'README.md': '# demo\n' });
const TOKEN = 'ghs_' + 'uploadTestToken000000000000000000000000';

interface Received {
  path: string;
  auth: string;
  body: { commit_sha: string; ref: string; sarif: string; tool_name?: string };
}

async function server(status: number): Promise<{ url: string; received: Received[]; close: () => void }> {
  const received: Received[] = [];
  const read = async (req: IncomingMessage): Promise<string> => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    return Buffer.concat(parts).toString('utf8');
  };
  const srv = createServer(async (req, res) => {
    received.push({ path: `${req.method} ${req.url}`, auth: req.headers.authorization ?? '', body: JSON.parse(await read(req)) });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(status === 202 ? JSON.stringify({ id: '47177e22-5596-11eb-80a1-c1e54ef945c6', url: 'https://api.github.com/repos/acme/app/code-scanning/sarifs/47177e22' }) : JSON.stringify({ message: 'Resource not accessible by integration' }));
  });
  await new Promise<void>((done) => srv.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, received, close: () => srv.close() };
}

async function run(api: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const env = {
    PATH: process.env['PATH'],
    HOME: dir.path,
    SPILLWAY_FINGERPRINT_KEY: 'upload-test-key',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_API_URL: api,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SHA: head,
    GITHUB_REF: 'refs/heads/main',
    RUNNER_TEMP: dir.path,
    INPUT_MODE: 'files',
    'INPUT_SARIF-FILE': 'spillway.sarif',
    'INPUT_UPLOAD-SARIF': 'true',
    INPUT_TOKEN: TOKEN,
  };
  const code = await runAction({ env, stdout: (text) => (stdout += text) });
  return { code, stdout };
}

describe('upload-sarif', () => {
  it('posts the gzipped, base64-encoded log for GITHUB_SHA and GITHUB_REF with the token', async () => {
    const api = await server(202);
    const r = await run(api.url);
    api.close();
    expect(r.code).toBe(0);
    expect(api.received).toHaveLength(1);
    const got = api.received[0]!;
    expect(got.path).toBe('POST /repos/acme/app/code-scanning/sarifs');
    expect(got.auth).toBe(`Bearer ${TOKEN}`);
    expect(got.body).toMatchObject({ commit_sha: head, ref: 'refs/heads/main', tool_name: 'spillway' });
    expect(gunzipSync(Buffer.from(got.body.sarif, 'base64')).toString('utf8')).toBe(readFileSync(`${workspace}/spillway.sarif`, 'utf8'));
    expect(r.stdout).toMatch(/SARIF uploaded to code scanning \(id 47177e22/);
    expect(r.stdout).not.toContain(TOKEN);
  });

  it('a refused upload fails the step with the status, never the token', async () => {
    const api = await server(403);
    const r = await run(api.url);
    api.close();
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/::error title=spillway::code scanning refused the SARIF upload \(HTTP 403\)/);
    expect(r.stdout).not.toContain(TOKEN);
  });
});
