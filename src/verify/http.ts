// One verification request: no redirects, a timeout, the SSRF guard, at most a small body read, nothing logged.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkLiteralHost, guardedLookup, type ResolveAll } from './address-guard.js';

/** What a verifier asks to send. Headers carry the secret: they never reach a message or an error. */
export interface VerifyRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** What came back: the status, and the body only when the verifier needs it (kept in memory, never printed). */
export interface VerifyResponse {
  status: number;
  body?: string;
}

export interface SendOptions {
  timeoutMs: number;
  allowInternal: boolean;
  readBody: boolean;
  resolveAll?: ResolveAll;
}

const MAX_BODY = 64 * 1024;

/** Sends the request; rejects with an error whose message names the host and the cause, never the secret. */
export function send(req: VerifyRequest, opts: SendOptions): Promise<VerifyResponse> {
  checkLiteralHost(req.url.hostname, opts.allowInternal);
  const requester = req.url.protocol === 'https:' ? httpsRequest : req.url.protocol === 'http:' ? httpRequest : undefined;
  if (!requester) return Promise.reject(new Error(`unsupported scheme ${req.url.protocol}`));
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage): void => {
      const status = res.statusCode ?? 0;
      if (!opts.readBody) {
        res.resume();
        res.on('end', () => resolve({ status }));
        res.on('error', () => resolve({ status }));
        return;
      }
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (b: Buffer) => {
        size += b.length;
        if (size <= MAX_BODY) parts.push(b);
      });
      res.on('end', () => resolve({ status, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', (err) => reject(describe(err, req.url)));
    };
    const headers = { ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) };
    const options = {
      method: req.method,
      headers,
      lookup: guardedLookup(opts.allowInternal, opts.resolveAll) as never,
      signal: AbortSignal.timeout(opts.timeoutMs),
      agent: false,
    };
    let r: ClientRequest;
    try {
      r = requester(req.url, options, onResponse);
    } catch (err) {
      // e.g. a character a header may not hold: Node's message names the header, yet only the cause is kept.
      reject(describe(err as Error, req.url));
      return;
    }
    r.on('error', (err) => reject(describe(err, req.url)));
    r.end(req.body);
  });
}

/** A new error naming the host and the cause (code or class), dropping anything a server or library put in. */
function describe(err: Error, url: URL): Error {
  if (err.name === 'InternalAddressError') return err;
  const code = (err as NodeJS.ErrnoException).code;
  const cause = err.name === 'AbortError' || err.name === 'TimeoutError' ? 'timed out' : code ? code : err.name;
  return new Error(`${url.host}: ${cause}`);
}
