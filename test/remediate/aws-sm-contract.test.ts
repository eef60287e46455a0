// The AWS Secrets Manager contract: against the local server always, and against the real service when AWS credentials
// and SPILLWAY_AWS_E2E=1 are set (it creates a secret named spillway-contract/<random> and force-deletes it after).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsManagerClient, endpointFromEnv } from '../../src/remediate/aws/client.js';
import { credentialsFromEnv, regionFromEnv, type AwsCredentials } from '../../src/remediate/aws/credentials.js';
import { Conflict, NotFound, RateLimited, Unauthorized } from '../../src/remediate/errors.js';
import { AwsSecretsManagerStore } from '../../src/remediate/stores/aws-sm.js';
import type { AwsSmTarget } from '../../src/remediate/target.js';
import { Secret } from '../../src/secret.js';
import { AWS_KEY, AWS_REGION } from './aws-harness.js';
import { startAwsSm, type FakeAwsSm } from './servers/aws-sm-server.js';


interface Service {
  region: string;
  credentials: AwsCredentials;
  endpoint: string;
  fake?: FakeAwsSm;
  close(): Promise<void>;
}

const noWait = { sleep: async () => undefined };

function contract(setup: () => Promise<Service>): void {
  let svc: Service;
  let client: SecretsManagerClient;
  let store: AwsSecretsManagerStore;
  let target: AwsSmTarget;
  const name = `spillway-contract/${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    svc = await setup();
    client = new SecretsManagerClient({ region: svc.region, credentials: svc.credentials, endpoint: svc.endpoint, retry: noWait });
    store = new AwsSecretsManagerStore(() => client);
    target = { kind: 'aws-sm', region: svc.region, secretId: name, property: 'API_KEY' };
    await client.call('CreateSecret', { Name: name, SecretString: JSON.stringify({ API_KEY: 'first-value', PORT: 5432, OTHER: 'keep-me' }), ClientRequestToken: randomUUID() }, 'CreateSecret');
  });
  afterAll(async () => {
    await client?.call('DeleteSecret', { SecretId: name, ForceDeleteWithoutRecovery: true }, 'DeleteSecret').catch(() => undefined);
    await svc?.close();
  });

  it('reads the AWSCURRENT version: every JSON key wrapped in a Secret', async () => {
    const v = await store.read(target);
    expect(typeof v.version).toBe('string');
    expect(v.values.get('API_KEY')).toBeInstanceOf(Secret);
    expect(v.values.get('API_KEY')!.reveal()).toBe('first-value');
    expect(v.values.get('PORT')!.reveal()).toBe('5432');
    expect(await store.currentVersion(target)).toBe(v.version);
  });

  it('writes one key with the journaled token: the others stay, AWSCURRENT moves to it and AWSPREVIOUS to the one read', async () => {
    const before = await store.read(target);
    const intent = store.intent(before.version);
    const version = await store.write(target, new Secret('second-value'), intent);
    expect(version).toBe(intent.token);
    const after = await client.getSecretValue(name);
    expect(after.versionId).toBe(intent.token);
    expect(JSON.parse(after.secretString!)).toEqual({ API_KEY: 'second-value', PORT: 5432, OTHER: 'keep-me' });
    const stages = await client.versionStages(name);
    expect(stages.get(String(intent.token))).toContain('AWSCURRENT');
    expect(stages.get(String(before.version))).toContain('AWSPREVIOUS');
    expect((await store.read(target, before.version)).values.get('API_KEY')!.reveal()).toBe('first-value');
  });

  it('repeating PutSecretValue with the same token and value is ignored; another value under it is a Conflict', async () => {
    const current = await store.read(target);
    const intent = store.intent(current.version);
    await store.write(target, new Secret('third-value'), intent);
    const text = (await client.getSecretValue(name)).secretString!;
    expect(await client.putSecretValue(name, text, String(intent.token))).toBe(intent.token);
    expect((await client.versionStages(name)).get(String(intent.token))).toContain('AWSCURRENT');
    const err = await client.putSecretValue(name, JSON.stringify({ API_KEY: 'other' }), String(intent.token)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Error).message).toContain('ResourceExistsException');
  });

  it('refuses to write when the version read is no longer AWSCURRENT (precondition), and writes nothing', async () => {
    const stale = await store.read(target);
    await store.write(target, new Secret('moved-on'), store.intent(stale.version));
    const err = await store.write(target, new Secret('late-value'), store.intent(stale.version)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Error).message).toContain('not writing');
    expect((err as Error).message).not.toContain('late-value');
    expect((await store.read(target)).values.get('API_KEY')!.reveal()).toBe('moved-on');
  });

  it('reconciles an interrupted write by its token: landed, not landed, or moved by someone else', async () => {
    const read = await store.read(target);
    const notYet = store.intent(read.version);
    expect(await store.reconcile(target, notYet)).toBeUndefined();
    await store.write(target, new Secret('landed-value'), notYet);
    expect(await store.reconcile(target, notYet)).toEqual({ oldVersion: read.version, newVersion: notYet.token, recovered: true });
    const never = store.intent(read.version);
    await expect(store.reconcile(target, never)).rejects.toBeInstanceOf(Conflict);
  });

  it('deprecates the AWSPREVIOUS version (its labels removed) and refuses the AWSCURRENT one', async () => {
    const stages = await client.versionStages(name);
    const previous = [...stages].find(([, labels]) => labels.includes('AWSPREVIOUS'))![0];
    const current = await store.currentVersion(target);
    expect(await store.deprecate(target, previous)).toEqual(['AWSPREVIOUS']);
    const after = await client.versionStages(name);
    expect(after.get(previous) ?? []).toEqual([]);
    expect(after.get(String(current))).toContain('AWSCURRENT');
    expect(await store.deprecate(target, previous)).toEqual([]);
    await expect(store.deprecate(target, String(current))).rejects.toThrow(/is AWSCURRENT: refusing to deprecate/);
  });

  it('a missing secret is NotFound, naming it', async () => {
    const err = await store.read({ kind: 'aws-sm', region: svc.region, secretId: `${name}-missing` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFound);
    expect((err as Error).message).toContain('ResourceNotFoundException');
    expect((err as Error).message).toContain(`${name}-missing`);
  });

  it('a wrong secret access key is Unauthorized, and the message holds neither key', async () => {
    const wrong = 'w'.repeat(40);
    const bad = new SecretsManagerClient({ region: svc.region, credentials: { ...svc.credentials, secretAccessKey: new Secret(wrong) }, endpoint: svc.endpoint, retry: noWait });
    const err = await bad.getSecretValue(name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Unauthorized);
    expect((err as Error).message).toMatch(/InvalidSignatureException|SignatureDoesNotMatch/);
    expect((err as Error).message).not.toContain(wrong);
    expect((err as Error).message).not.toContain(svc.credentials.secretAccessKey.reveal());
  });
}

describe('AWS Secrets Manager contract: local server', () => {
  contract(async () => {
    const fake = await startAwsSm(AWS_REGION, [AWS_KEY]);
    return { region: AWS_REGION, credentials: { accessKeyId: AWS_KEY.accessKeyId, secretAccessKey: new Secret(AWS_KEY.secretAccessKey), source: 'test' }, endpoint: fake.url, fake, close: fake.close };
  });
});

const e2e = process.env.SPILLWAY_AWS_E2E === '1' && Boolean(process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE);
describe.skipIf(!e2e)('AWS Secrets Manager contract: the real service (SPILLWAY_AWS_E2E=1)', () => {
  contract(async () => {
    const region = regionFromEnv(process.env) ?? 'us-east-1';
    return { region, credentials: credentialsFromEnv(process.env), endpoint: endpointFromEnv(process.env, region), close: async () => undefined };
  });
});

describe('retries (local server)', () => {
  let fake: FakeAwsSm;
  const credentials: AwsCredentials = { accessKeyId: AWS_KEY.accessKeyId, secretAccessKey: new Secret(AWS_KEY.secretAccessKey), source: 'test' };
  beforeAll(async () => {
    fake = await startAwsSm(AWS_REGION, [AWS_KEY]);
    fake.put('retry/app', JSON.stringify({ K: 'v' }));
  });
  afterAll(async () => fake.close());

  function clientWith(waits: number[], attempts = 4): SecretsManagerClient {
    return new SecretsManagerClient({ region: AWS_REGION, credentials, endpoint: fake.url, retry: { attempts, sleep: async (ms) => void waits.push(ms), random: () => 1 } });
  }

  it('waits as long as Retry-After says on ThrottlingException, then succeeds', async () => {
    const waits: number[] = [];
    fake.throttle = { count: 2, retryAfter: '3' };
    expect((await clientWith(waits).getSecretValue('retry/app')).secretString).toBe('{"K":"v"}');
    expect(waits).toEqual([3000, 3000]);
  });

  it('backs off exponentially without Retry-After, and gives up after the attempts allowed', async () => {
    const waits: number[] = [];
    fake.throttle = { count: 10 };
    const err = await clientWith(waits, 3).getSecretValue('retry/app').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimited);
    expect(waits).toEqual([250, 500]);
    fake.throttle = { count: 0 };
  });

  it('a Retry-After beyond the longest wait fails at once instead of hanging', async () => {
    const waits: number[] = [];
    fake.throttle = { count: 1, retryAfter: '3600' };
    await expect(clientWith(waits).getSecretValue('retry/app')).rejects.toBeInstanceOf(RateLimited);
    expect(waits).toEqual([]);
  });

  it('retries a 503 (honouring its Retry-After: 0)', async () => {
    const waits: number[] = [];
    fake.unavailable = 1;
    expect((await clientWith(waits).getSecretValue('retry/app')).secretString).toBe('{"K":"v"}');
    expect(waits).toEqual([0]);
  });

  it('a request without a signature, or with a session token the key does not have, is refused by the server', async () => {
    const res = await fetch(`${fake.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' }, body: '{"SecretId":"retry/app"}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('MissingAuthenticationTokenException');
    const session = { accessKeyId: ['spillway', 'session', 'key'].join('-'), secretAccessKey: 't'.repeat(40), sessionToken: 'session-'.repeat(6) };
    const temporary = await startAwsSm(AWS_REGION, [session]);
    temporary.put('retry/app', '{}');
    const keyOnly = { accessKeyId: session.accessKeyId, secretAccessKey: new Secret(session.secretAccessKey), source: 'test' };
    const without = new SecretsManagerClient({ region: AWS_REGION, credentials: keyOnly, endpoint: temporary.url, retry: noWait });
    await expect(without.getSecretValue('retry/app')).rejects.toBeInstanceOf(Unauthorized);
    const withToken = new SecretsManagerClient({ region: AWS_REGION, credentials: { ...keyOnly, sessionToken: new Secret(session.sessionToken) }, endpoint: temporary.url, retry: noWait });
    expect((await withToken.getSecretValue('retry/app')).secretString).toBe('{}');
    await temporary.close();
    const wrongRegion = new SecretsManagerClient({ region: 'us-east-2', credentials, endpoint: fake.url, retry: noWait });
    await expect(wrongRegion.getSecretValue('retry/app')).rejects.toThrow(/InvalidSignatureException: Credential should be scoped/);
  });
});
