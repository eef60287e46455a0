// Hostile and faulty servers for the HTTP-policy tests: raw node:http(s) servers on this machine, recording what reached them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  url: string;
  /** Every request that reached the server. */
  seen: Seen[];
  close(): Promise<void>;
}

export type RawHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A server on `host` (127.0.0.1 by default); `tls` makes it https with that key and certificate. */
export async function serve(handler: RawHandler, options: { host?: string; tls?: { key: string; cert: string } } = {}): Promise<TestServer> {
  const seen: Seen[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => handler(req, res, Buffer.concat(parts).toString('utf8')));
  };
  const server = options.tls ? createHttpsServer(options.tls, onRequest) : createServer(onRequest);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An IPv4 address of this machine that is not loopback (to stand for a server elsewhere on the network), if any. */
export function nonLoopbackAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

/** A throwaway self-signed certificate for 127.0.0.1, made with openssl at test time (no key is committed). */
export function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'spillway-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'k'), 'utf8'), cert: readFileSync(join(dir, 'c'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A kubeconfig for `server` with a bearer token (and the CA, for an https server). */
export function kubeconfig(server: string, token: string, ca?: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: c',
    '  cluster:',
    `    server: ${server}`,
    // client-node itself refuses plain http unless TLS checks are off: a kubeconfig for http says so.
    ...(ca ? [`    certificate-authority-data: ${Buffer.from(ca).toString('base64')}`] : ['    insecure-skip-tls-verify: true']),
    'users:',
    '- name: u',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: c',
    '  context: { cluster: c, user: u }',
    'current-context: c',
    '',
  ].join('\n');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
