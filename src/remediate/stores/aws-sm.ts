// AWS Secrets Manager as a SecretStore: one JSON key rotated by GetSecretValue + PutSecretValue, AWSCURRENT as the precondition.
import { randomUUID } from 'node:crypto';
import { Secret } from '../../secret.js';
import { Conflict } from '../errors.js';
import type { SecretsManagerClient } from '../aws/client.js';
import { isVaultTarget, targetName, type AwsSmTarget, type StoreTarget } from '../target.js';
import type { Rotation, SecretStore, StoreRead, StoreVersion, WriteIntent } from './store.js';

const WHOLE = 'SecretString';

function awsTarget(t: StoreTarget): AwsSmTarget {
  if (isVaultTarget(t)) throw new TypeError(`aws-sm: ${targetName(t)} is not an AWS Secrets Manager target`);
  return t;
}

type Json = Record<string, unknown>;

/** The SecretString as a JSON object, or undefined when it is not one. */
function jsonObject(text: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Every key of a JSON SecretString (non-strings as their JSON), or the whole string under `SecretString`. */
function valuesOf(text: string | undefined): Map<string, Secret> {
  const values = new Map<string, Secret>();
  if (text === undefined) return values;
  const json = jsonObject(text);
  if (!json) values.set(WHOLE, new Secret(text));
  else for (const [k, v] of Object.entries(json)) values.set(k, new Secret(typeof v === 'string' ? v : JSON.stringify(v)));
  return values;
}

/** The version labelled AWSCURRENT in DescribeSecret's VersionIdsToStages. */
function currentOf(stages: Map<string, string[]>): string | undefined {
  return [...stages].find(([, labels]) => labels.includes('AWSCURRENT'))?.[0];
}

/** The Secrets Manager adapter: one client per region. */
export class AwsSecretsManagerStore implements SecretStore {
  readonly kind = 'aws-sm' as const;
  readonly #client: (region: string) => SecretsManagerClient;

  constructor(client: (region: string) => SecretsManagerClient) {
    this.#client = client;
  }

  async read(target: StoreTarget, version?: StoreVersion): Promise<StoreRead> {
    const t = awsTarget(target);
    const v = await this.#client(t.region).getSecretValue(t.secretId, version === undefined ? undefined : String(version));
    return { version: v.versionId, values: valuesOf(v.secretString) };
  }

  async currentVersion(target: StoreTarget): Promise<StoreVersion> {
    const t = awsTarget(target);
    const current = currentOf(await this.#client(t.region).versionStages(t.secretId));
    if (!current) throw new Conflict(`aws-sm: ${t.secretId} has no version labelled AWSCURRENT`, { service: 'aws-secretsmanager' });
    return current;
  }

  /** The ClientRequestToken is made here and journaled before the write: it becomes the new version's id. */
  intent(readVersion: StoreVersion): WriteIntent {
    return { readVersion, token: randomUUID() };
  }

  async write(target: StoreTarget, value: Secret, intent: WriteIntent): Promise<StoreVersion> {
    const t = awsTarget(target);
    const client = this.#client(t.region);
    const readVersion = String(intent.readVersion);
    const current = await this.currentVersion(t);
    if (current !== readVersion) {
      throw new Conflict(`aws-sm: ${t.secretId}: AWSCURRENT is version ${current}, not ${readVersion} read before: someone else changed it; not writing`, { service: 'aws-secretsmanager' });
    }
    const before = await client.getSecretValue(t.secretId, readVersion);
    let text = value.reveal();
    if (t.property !== undefined) {
      const json = before.secretString === undefined ? undefined : jsonObject(before.secretString);
      if (!json) throw new Error(`aws-sm: ${t.secretId} is not a JSON object: cannot set its key "${t.property}"`);
      text = JSON.stringify({ ...json, [t.property]: text });
    }
    return client.putSecretValue(t.secretId, text, String(intent.token));
  }

  /** The token names the version the write made: it exists and is AWSCURRENT (landed), is absent (did not), or else Conflict. */
  async reconcile(target: StoreTarget, intent: WriteIntent): Promise<Rotation | undefined> {
    const t = awsTarget(target);
    const stages = await this.#client(t.region).versionStages(t.secretId);
    const token = String(intent.token);
    const current = currentOf(stages);
    if (current === token) return { oldVersion: intent.readVersion, newVersion: token, recovered: true };
    if (!stages.has(token) && current === String(intent.readVersion)) return undefined;
    throw new Conflict(
      `aws-sm: ${t.secretId}: AWSCURRENT is version ${current ?? 'none'}; the unfinished write in the journal started from ${String(intent.readVersion)} with token ${token}, which ${stages.has(token) ? 'exists but is not AWSCURRENT' : 'never landed'}: someone else changed it. Not writing again; check \`${this.inspectCommand(t)}\``,
      { service: 'aws-secretsmanager' },
    );
  }

  /**
   * Deprecates version `versionId` (the leaked one, AWSPREVIOUS after the rotation): removes every label but
   * AWSCURRENT from it, so no client asking for a stage gets it and Secrets Manager may delete it. Refuses the
   * AWSCURRENT version. Returns the labels removed (none when it had none left: already deprecated).
   */
  async deprecate(target: StoreTarget, versionId: string): Promise<string[]> {
    const t = awsTarget(target);
    const client = this.#client(t.region);
    const labels = (await client.versionStages(t.secretId)).get(versionId) ?? [];
    if (labels.includes('AWSCURRENT')) throw new Conflict(`aws-sm: ${t.secretId}: version ${versionId} is AWSCURRENT: refusing to deprecate the value in use`, { service: 'aws-secretsmanager' });
    for (const label of labels) await client.removeVersionStage(t.secretId, label, versionId);
    return labels;
  }

  inspectCommand(target: StoreTarget): string {
    const t = awsTarget(target);
    return `aws secretsmanager list-secret-version-ids --region ${t.region} --secret-id ${t.secretId}`;
  }
}
