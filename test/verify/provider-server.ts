// A local server on 127.0.0.1 answering like each provider's documented identity endpoint, for one known-good token each.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signV4 } from '../../src/verify/sigv4.js';

export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ProviderServer {
  url: string;
  port: number;
  seen: Seen[];
  maxInFlight: number;
  close(): Promise<void>;
}

/** The tokens the server accepts. */
export interface Good {
  github: string;
  gitlab: string;
  slack: string;
  stripe: string;
  npm: string;
  openai: string;
  anthropic: string;
  sendgrid: string;
  vault: string;
  awsKeyId: string;
  awsSecret: string;
  /** Answered 500 with the token echoed in the body (a provider error that repeats what it was sent). */
  echo: string;
  /** Never answered (timeouts). */
  hang: string;
}

function json(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Starts the server; `delayMs` holds every answer that long (to observe concurrency). */
export async function startProviderServer(good: Good, delayMs = 0): Promise<ProviderServer> {
  let inFlight = 0;
  const state = { seen: [] as Seen[], maxInFlight: 0 };
  const server: Server = createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      state.seen.push({ method: req.method ?? '', path, headers: req.headers, body });
      setTimeout(() => answer(req, res, path, body), delayMs);
    });
  });
  const answer = (req: IncomingMessage, res: import('node:http').ServerResponse, path: string, body: string): void => {
    const h = req.headers;
    const bearer = h.authorization?.startsWith('Bearer ') ? h.authorization.slice(7) : undefined;
    const presented = bearer ?? (h['private-token'] as string | undefined) ?? (h['x-api-key'] as string | undefined) ?? (h['x-vault-token'] as string | undefined);
    if (presented === good.hang) return;
    if (presented === good.echo) return json(res, 500, { error: `internal error for token ${presented}` });
    const ok = (token: string): void => (presented === token ? json(res, 200, { ok: true }) : json(res, 401, { message: 'Bad credentials' }));
    switch (`${req.method} ${path}`) {
      case 'GET /user':
        return ok(good.github);
      case 'GET /api/v4/user':
        return h['private-token'] === good.gitlab ? json(res, 200, { id: 1 }) : json(res, 401, { message: '401 Unauthorized' });
      case 'POST /api/auth.test':
        return json(res, 200, bearer === good.slack ? { ok: true, team: 'T' } : { ok: false, error: 'invalid_auth' });
      case 'GET /v1/balance': {
        const basic = h.authorization?.startsWith('Basic ') ? Buffer.from(h.authorization.slice(6), 'base64').toString('utf8') : '';
        return basic === `${good.stripe}:` ? json(res, 200, { object: 'balance' }) : json(res, 401, { error: { type: 'invalid_request_error' } });
      }
      case 'GET /-/whoami':
        return ok(good.npm);
      case 'GET /v1/models':
        if (h['x-api-key'] !== undefined) {
          if (h['anthropic-version'] === undefined) return json(res, 400, { type: 'error' });
          return h['x-api-key'] === good.anthropic ? json(res, 200, { data: [] }) : json(res, 401, { type: 'error', error: { type: 'authentication_error' } });
        }
        return ok(good.openai);
      case 'GET /v3/scopes':
        return ok(good.sendgrid);
      case 'GET /v1/auth/token/lookup-self':
        return h['x-vault-token'] === good.vault ? json(res, 200, { data: { policies: ['default'] } }) : json(res, 403, { errors: ['permission denied'] });
      case 'POST /':
        return json(res, awsSignatureOk(req, body, good) ? 200 : 403, {});
      default:
        return json(res, 404, {});
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get seen() {
      return state.seen;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** STS checks the signature: recompute it with the secret the server knows for the presented key id. */
function awsSignatureOk(req: IncomingMessage, body: string, good: Good): boolean {
  const auth = req.headers.authorization ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/us-east-1\/sts\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m || m[1] !== good.awsKeyId || body !== 'Action=GetCallerIdentity&Version=2011-06-15') return false;
  const stamp = req.headers['x-amz-date'] as string;
  const now = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
  const expected = signV4({
    method: 'POST',
    url: new URL(`http://${req.headers.host}/`),
    headers: { 'content-type': req.headers['content-type'] as string },
    body,
    region: 'us-east-1',
    service: 'sts',
    accessKeyId: good.awsKeyId,
    secretAccessKey: good.awsSecret,
    now,
  });
  return expected.authorization === auth;
}
