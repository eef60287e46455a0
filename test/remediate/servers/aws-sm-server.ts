// A local AWS Secrets Manager on loopback following the JSON protocol: POST /, X-Amz-Target secretsmanager.<Op>,
// application/x-amz-json-1.1, SigV4 checked (signature recomputed), errors as {"__type","message"}; staging labels
// AWSCURRENT/AWSPREVIOUS as the service moves them, ClientRequestToken idempotency; throttling and 503 on demand.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signV4 } from '../../../src/verify/sigv4.js';
import { json, listen } from './http-util.js';

interface Version {
  secretString: string;
}

interface StoredSecret {
  arn: string;
  name: string;
  versions: Map<string, Version>;
  /** Version id -> staging labels; a version without labels is deprecated. */
  stages: Map<string, string[]>;
}

export interface FakeAwsSm {
  url: string;
  region: string;
  secrets: Map<string, StoredSecret>;
  /** Operations received (after the signature check), in order. */
  calls: string[];
  /** PutSecretValue calls that made a version. */
  puts: number;
  /** Answer the next N calls with ThrottlingException (HTTP 400), with this Retry-After if set. */
  throttle: { count: number; retryAfter?: string };
  /** Answer the next N calls with 503 ServiceUnavailable. */
  unavailable: number;
  /** Called after a PutSecretValue made its version, before the answer is sent (a kill there loses the answer). */
  afterPut?: () => Promise<void>;
  /** Creates the secret (or adds a version) with `value` as AWSCURRENT; returns the version id. */
  put(name: string, value: string): string;
  /** The AWSCURRENT SecretString of `name`. */
  current(name: string): string | undefined;
  /** The staging labels of each version of `name`. */
  stagesOf(name: string): Map<string, string[]>;
  close(): Promise<void>;
}

export interface FakeAwsKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function fail(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { __type: type, message }, { 'Content-Type': 'application/x-amz-json-1.1', ...headers });
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** Checks the SigV4 signature the way the service does; returns the error to send, or undefined when it is valid. */
function checkSignature(req: IncomingMessage, body: string, keys: FakeAwsKey[], region: string): [string, string] | undefined {
  const auth = AUTH.exec(String(req.headers.authorization ?? ''));
  if (!auth) return ['MissingAuthenticationTokenException', 'Missing Authentication Token'];
  const [, keyId, date, scopeRegion, service, signedHeaders, signature] = auth;
  const key = keys.find((k) => k.accessKeyId === keyId);
  if (!key) return ['UnrecognizedClientException', 'The security token included in the request is invalid.'];
  if (key.sessionToken !== undefined && req.headers['x-amz-security-token'] !== key.sessionToken) return ['UnrecognizedClientException', 'The security token included in the request is invalid.'];
  if (service !== 'secretsmanager' || scopeRegion !== region) return ['InvalidSignatureException', `Credential should be scoped to a valid region and service (${region}/secretsmanager).`];
  const names = signedHeaders!.split(';');
  for (const needed of ['host', 'x-amz-date', 'x-amz-target', ...(key.sessionToken ? ['x-amz-security-token'] : [])]) {
    if (!names.includes(needed)) return ['InvalidSignatureException', `'${needed}' must be a signed header.`];
  }
  const stamp = String(req.headers['x-amz-date'] ?? '');
  if (!stamp.startsWith(date!)) return ['InvalidSignatureException', 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.'];
  const now = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
  const headers: Record<string, string> = {};
  for (const n of names.filter((n) => n !== 'host' && n !== 'x-amz-date')) headers[n] = String(req.headers[n] ?? '');
  const expected = signV4({ method: req.method ?? 'POST', url: new URL(req.url ?? '/', `http://${req.headers.host}`), headers, body, region, service: 'secretsmanager', accessKeyId: keyId!, secretAccessKey: key.secretAccessKey, now });
  if (!expected.authorization!.endsWith(`Signature=${signature}`)) return ['InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.'];
  return undefined;
}

/** Starts the fake in `region`, accepting requests signed with one of `keys`. */
export async function startAwsSm(region: string, keys: FakeAwsKey[]): Promise<FakeAwsSm> {
  let serial = 0;
  const state = {
    region,
    secrets: new Map<string, StoredSecret>(),
    calls: [] as string[],
    puts: 0,
    throttle: { count: 0 } as { count: number; retryAfter?: string },
    unavailable: 0,
    afterPut: undefined as (() => Promise<void>) | undefined,
  };
  const find = (id: unknown): StoredSecret | undefined => [...state.secrets.values()].find((s) => s.name === id || s.arn === id);
  const addVersion = (s: StoredSecret, id: string, value: string): void => {
    s.versions.set(id, { secretString: value });
    for (const [v, labels] of s.stages) {
      const rest = labels.filter((l) => l !== 'AWSPREVIOUS' && l !== 'AWSCURRENT');
      s.stages.set(v, labels.includes('AWSCURRENT') ? [...rest, 'AWSPREVIOUS'] : rest);
    }
    s.stages.set(id, ['AWSCURRENT']);
  };
  const create = (name: string, value: string, id: string): StoredSecret => {
    const s: StoredSecret = { arn: `arn:aws:secretsmanager:${region}:000000000000:secret:${name}-${String(++serial).padStart(6, 'a')}`, name, versions: new Map(), stages: new Map() };
    state.secrets.set(name, s);
    addVersion(s, id, value);
    return s;
  };

  const ops: Record<string, (body: Record<string, unknown>, res: ServerResponse) => Promise<void> | void> = {
    GetSecretValue(body, res) {
      const s = find(body.SecretId);
      if (!s) return fail(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      const stage = typeof body.VersionStage === 'string' ? body.VersionStage : 'AWSCURRENT';
      const id = typeof body.VersionId === 'string' ? body.VersionId : [...s.stages].find(([, l]) => l.includes(stage))?.[0];
      const v = id === undefined ? undefined : s.versions.get(id);
      if (!v || id === undefined) return fail(res, 400, 'ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${body.VersionId ? `VersionId: ${String(body.VersionId)}` : `staging label: ${stage}`}`);
      json(res, 200, { ARN: s.arn, Name: s.name, VersionId: id, SecretString: v.secretString, VersionStages: s.stages.get(id) ?? [], CreatedDate: 1_700_000_000 });
    },
    DescribeSecret(body, res) {
      const s = find(body.SecretId);
      if (!s) return fail(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      json(res, 200, { ARN: s.arn, Name: s.name, VersionIdsToStages: Object.fromEntries([...s.stages].filter(([, l]) => l.length > 0)) });
    },
    async PutSecretValue(body, res) {
      const s = find(body.SecretId);
      if (!s) return fail(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      const token = body.ClientRequestToken;
      if (typeof token !== 'string' || token.length < 32 || token.length > 64) return fail(res, 400, 'InvalidParameterException', 'ClientRequestToken must be 32 to 64 characters.');
      if (typeof body.SecretString !== 'string') return fail(res, 400, 'InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
      const existing = s.versions.get(token);
      if (existing && existing.secretString !== body.SecretString) return fail(res, 400, 'ResourceExistsException', 'You can\'t modify an existing version, you can only create new versions.');
      if (!existing) {
        addVersion(s, token, body.SecretString);
        state.puts++;
        await state.afterPut?.();
      }
      json(res, 200, { ARN: s.arn, Name: s.name, VersionId: token, VersionStages: s.stages.get(token) ?? [] });
    },
    CreateSecret(body, res) {
      if (typeof body.Name !== 'string' || find(body.Name)) return fail(res, 400, 'ResourceExistsException', 'The operation failed because the secret already exists.');
      const s = create(body.Name, String(body.SecretString ?? ''), String(body.ClientRequestToken ?? crypto.randomUUID()));
      json(res, 200, { ARN: s.arn, Name: s.name, VersionId: [...s.versions.keys()][0] });
    },
    // Documented: labels given are added to MoveToVersionId's (moved off another version only when RemoveFromVersionId
    // names it); without MoveToVersionId the label leaves RemoveFromVersionId. AWSCURRENT can only be moved, not removed.
    UpdateSecretVersionStage(body, res) {
      const s = find(body.SecretId);
      if (!s) return fail(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      const stage = body.VersionStage;
      if (typeof stage !== 'string' || stage === '') return fail(res, 400, 'InvalidParameterException', 'You must specify VersionStage.');
      const from = typeof body.RemoveFromVersionId === 'string' ? body.RemoveFromVersionId : undefined;
      const to = typeof body.MoveToVersionId === 'string' ? body.MoveToVersionId : undefined;
      const holder = [...s.stages].find(([, l]) => l.includes(stage))?.[0];
      if (from !== undefined && holder !== from) return fail(res, 400, 'InvalidParameterException', `The staging label ${stage} is not attached to version ${from}.`);
      if (to === undefined && stage === 'AWSCURRENT') return fail(res, 400, 'InvalidParameterException', 'You can only move AWSCURRENT to another version, not remove it.');
      if (to !== undefined && !s.versions.has(to)) return fail(res, 400, 'ResourceNotFoundException', `Secrets Manager can't find the specified secret version: ${to}`);
      if (holder !== undefined && holder !== to) {
        if (to !== undefined && from === undefined) return fail(res, 400, 'InvalidParameterException', `The staging label ${stage} is attached to version ${holder}: name it in RemoveFromVersionId.`);
        s.stages.set(holder, (s.stages.get(holder) ?? []).filter((l) => l !== stage));
      }
      if (to !== undefined && !(s.stages.get(to) ?? []).includes(stage)) s.stages.set(to, [...(s.stages.get(to) ?? []), stage]);
      json(res, 200, { ARN: s.arn, Name: s.name });
    },
    DeleteSecret(body, res) {
      const s = find(body.SecretId);
      if (!s) return fail(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      state.secrets.delete(s.name);
      json(res, 200, { ARN: s.arn, Name: s.name, DeletionDate: 1_700_000_000 });
    },
  };

  const server = await listen(async (req, body, res) => {
    if (req.method !== 'POST' || req.url !== '/') return fail(res, 404, 'UnknownOperationException', 'Only POST / is served.');
    if (String(req.headers['content-type'] ?? '').split(';')[0] !== 'application/x-amz-json-1.1') return fail(res, 400, 'SerializationException', 'Expected Content-Type application/x-amz-json-1.1.');
    const bad = checkSignature(req, body, keys, region);
    if (bad) return fail(res, bad[0] === 'UnrecognizedClientException' || bad[0] === 'InvalidSignatureException' ? 403 : 400, bad[0], bad[1]);
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith('secretsmanager.') ? ops[target.slice('secretsmanager.'.length)] : undefined;
    if (!op) return fail(res, 400, 'UnknownOperationException', `Unknown operation ${target}.`);
    state.calls.push(target.slice('secretsmanager.'.length));
    if (state.throttle.count > 0) {
      state.throttle.count--;
      return fail(res, 400, 'ThrottlingException', 'Rate exceeded', state.throttle.retryAfter ? { 'Retry-After': state.throttle.retryAfter } : {});
    }
    if (state.unavailable > 0) {
      state.unavailable--;
      return fail(res, 503, 'ServiceUnavailable', 'Service is unavailable. Try again later.', { 'Retry-After': '0' });
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return fail(res, 400, 'SerializationException', 'The request body is not valid JSON.');
    }
    await op(parsed, res);
  });

  return Object.assign(state, {
    url: server.url,
    put(name: string, value: string): string {
      const id = crypto.randomUUID();
      const s = find(name);
      if (s) addVersion(s, id, value);
      else create(name, value, id);
      return id;
    },
    current(name: string): string | undefined {
      const s = find(name);
      const id = s && [...s.stages].find(([, l]) => l.includes('AWSCURRENT'))?.[0];
      return id === undefined ? undefined : s!.versions.get(id)?.secretString;
    },
    stagesOf(name: string): Map<string, string[]> {
      return new Map(find(name)?.stages ?? []);
    },
    close: server.close,
  });
}
