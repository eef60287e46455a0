// A small AWS Secrets Manager client over the JSON protocol (X-Amz-Target: secretsmanager.*), SigV4-signed, with bounded retries.
import { guardedFetch } from '../../net/guarded-fetch.js';
import { signV4 } from '../../verify/sigv4.js';
import type { FetchLike } from '../http.js';
import { withRetries, type RetryPolicy } from '../retry.js';
import type { AwsCredentials } from './credentials.js';
import { awsError, awsTransportError } from './errors.js';

export interface SecretsManagerOptions {
  region: string;
  credentials: AwsCredentials;
  /** Base URL; default `https://secretsmanager.<region>.amazonaws.com` (AWS_ENDPOINT_URL_SECRETS_MANAGER overrides it). */
  endpoint?: string;
  fetch?: FetchLike;
  retry?: RetryPolicy;
  now?: () => Date;
}

/** GetSecretValue's answer (SecretBinary is not supported: remediation rotates text). */
export interface SecretValue {
  arn: string;
  name: string;
  versionId: string;
  versionStages: string[];
  secretString?: string;
}

/** The public endpoint of Secrets Manager in `region`. */
export function defaultEndpoint(region: string): string {
  return `https://secretsmanager.${region}.amazonaws.${region.startsWith('cn-') ? 'com.cn' : 'com'}`;
}

/** The endpoint from the environment (AWS_ENDPOINT_URL_SECRETS_MANAGER, then AWS_ENDPOINT_URL), else the public one. */
export function endpointFromEnv(env: Record<string, string | undefined>, region: string): string {
  return env.AWS_ENDPOINT_URL_SECRETS_MANAGER || env.AWS_ENDPOINT_URL || defaultEndpoint(region);
}

/** One region's Secrets Manager. Errors are typed (../errors.ts) and never contain a credential or a value. */
export class SecretsManagerClient {
  readonly region: string;
  readonly endpoint: string;
  readonly #credentials: AwsCredentials;
  readonly #fetch: FetchLike;
  readonly #retry: RetryPolicy;
  readonly #now: () => Date;

  constructor(options: SecretsManagerOptions) {
    this.region = options.region;
    this.endpoint = (options.endpoint ?? defaultEndpoint(options.region)).replace(/\/+$/, '');
    this.#credentials = options.credentials;
    // The shared HTTP policy (src/net/guarded-fetch.ts), its own retries off: withRetries below retries.
    this.#fetch = options.fetch ?? guardedFetch({ retries: 0 });
    this.#retry = options.retry ?? {};
    this.#now = options.now ?? (() => new Date());
  }

  /** Calls operation `op` (e.g. `GetSecretValue`) with a JSON body; retries throttling and 5xx (every call here is safe to repeat). */
  call(op: string, body: Record<string, unknown>, what: string): Promise<Record<string, unknown>> {
    return withRetries(() => this.#once(op, body, what), this.#retry);
  }

  async #once(op: string, body: Record<string, unknown>, what: string): Promise<Record<string, unknown>> {
    const text = JSON.stringify(body);
    const url = new URL(`${this.endpoint}/`);
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` };
    if (this.#credentials.sessionToken) headers['x-amz-security-token'] = this.#credentials.sessionToken.reveal();
    const { host: _host, ...signed } = signV4({
      method: 'POST',
      url,
      headers,
      body: text,
      region: this.region,
      service: 'secretsmanager',
      accessKeyId: this.#credentials.accessKeyId,
      secretAccessKey: this.#credentials.secretAccessKey.reveal(),
      now: this.#now(),
    });
    let response: Response;
    try {
      response = await this.#fetch(url.toString(), { method: 'POST', headers: signed, body: text });
    } catch (err) {
      throw awsTransportError(what, err);
    }
    const raw = await response.text();
    let parsed: unknown;
    try {
      parsed = raw ? JSON.parse(raw) : {};
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw awsError(what, response.status, response.headers, parsed);
    if (typeof parsed !== 'object' || parsed === null) throw awsTransportError(what, new Error('Secrets Manager answered without a JSON body'));
    return parsed as Record<string, unknown>;
  }

  /** GetSecretValue of the AWSCURRENT version, or of version `versionId`. */
  async getSecretValue(secretId: string, versionId?: string): Promise<SecretValue> {
    const body = await this.call('GetSecretValue', { SecretId: secretId, ...(versionId ? { VersionId: versionId } : {}) }, `GetSecretValue ${secretId}${versionId ? ` version ${versionId}` : ''}`);
    const out: SecretValue = {
      arn: String(body.ARN ?? ''),
      name: String(body.Name ?? secretId),
      versionId: String(body.VersionId ?? ''),
      versionStages: Array.isArray(body.VersionStages) ? body.VersionStages.map(String) : [],
    };
    if (typeof body.SecretString === 'string') out.secretString = body.SecretString;
    return out;
  }

  /** DescribeSecret's VersionIdsToStages: every version id with its staging labels. */
  async versionStages(secretId: string): Promise<Map<string, string[]>> {
    const body = await this.call('DescribeSecret', { SecretId: secretId }, `DescribeSecret ${secretId}`);
    const stages = (body.VersionIdsToStages ?? {}) as Record<string, unknown>;
    return new Map(Object.entries(stages).map(([id, labels]) => [id, Array.isArray(labels) ? labels.map(String) : []]));
  }

  /** PutSecretValue: a new version with id `token` (the ClientRequestToken); AWSCURRENT moves to it, AWSPREVIOUS to the one before. */
  async putSecretValue(secretId: string, secretString: string, token: string): Promise<string> {
    const body = await this.call('PutSecretValue', { SecretId: secretId, ClientRequestToken: token, SecretString: secretString }, `PutSecretValue ${secretId}`);
    return String(body.VersionId ?? token);
  }

  /** UpdateSecretVersionStage removing label `stage` from version `versionId` (its last label gone: deprecated). */
  async removeVersionStage(secretId: string, stage: string, versionId: string): Promise<void> {
    await this.call('UpdateSecretVersionStage', { SecretId: secretId, VersionStage: stage, RemoveFromVersionId: versionId }, `UpdateSecretVersionStage ${secretId} ${stage}`);
  }
}
