// A FetchLike over node:http / node:https that honours an `agent` (TLS client certificates and CAs of a kubeconfig).
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { FetchLike } from '../remediate/http.js';

/** RequestInit plus the agent the Kubernetes client builds for its cluster. */
export type NodeRequestInit = RequestInit & { agent?: Agent };

/** Never follows redirects itself (the guard does); the answer streams as a WHATWG Response. */
export const nodeRequest: FetchLike = (url, init: NodeRequestInit = {}) => {
  const target = new URL(url);
  const requester = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = new Headers(init.headers);
  const body = typeof init.body === 'string' || init.body instanceof Uint8Array ? init.body : init.body == null ? undefined : String(init.body);
  if (body !== undefined) headers.set('content-length', String(Buffer.byteLength(body)));
  return new Promise<Response>((resolve, reject) => {
    const onResponse = (res: IncomingMessage): void => {
      const out = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(name, v);
      }
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 599) {
        res.destroy();
        reject(new Error(`${target.host} answered with status ${status}`));
        return;
      }
      const stream = [101, 204, 205, 304].includes(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      if (stream === null) res.resume();
      resolve(new Response(stream, { status, statusText: res.statusMessage ?? '', headers: out }));
    };
    const req = requester(
      target,
      { method: init.method ?? 'GET', headers: Object.fromEntries(headers), ...(init.agent ? { agent: init.agent } : {}), ...(init.signal ? { signal: init.signal } : {}) },
      onResponse,
    );
    req.on('error', reject);
    req.end(body);
  });
};
