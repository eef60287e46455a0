// Shared plumbing for the local test servers: listen on 127.0.0.1, read bodies, answer JSON.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>;

/**
 * A fault-injection gate for every local server in this process: `before` runs when a request has arrived
 * (before the server acts on it), `after` once the server has acted (before the answer is sent). Either
 * resolving to false drops the request: the server neither acts (before) nor answers, unless `before`
 * answered it itself through `res`.
 */
export const requestGate: {
  before?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  after?: (req: IncomingMessage) => Promise<boolean>;
} = {};

/** Sends `body` as JSON with `status`. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** Starts a server on a free loopback port; resolves to its base URL and a close function. */
export async function listen(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
      res.end = ((...a: unknown[]) => {
        const after = requestGate.after;
        if (!after) return end(...a);
        void after(req).then((go) => (go ? end(...a) : res.destroy()));
        return res;
      }) as typeof res.end;
      const gate = requestGate.before ? requestGate.before(req, res) : Promise.resolve(true);
      gate.then((go) => (go ? handler(req, Buffer.concat(chunks).toString('utf8'), res) : res.writableEnded || res.headersSent ? undefined : void res.destroy())).catch((err: unknown) => {
        if (!res.headersSent) json(res, 500, { errors: [String(err)] });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
