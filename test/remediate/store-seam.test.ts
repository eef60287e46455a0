// The store seam: targets as a tagged union (no kind = Vault KV v2, as old journals have), and the typed AWS errors.
import { expect, it } from 'vitest';
import { storeOf } from '../../src/remediate/apply.js';
import { awsError, errorType } from '../../src/remediate/aws/errors.js';
import { Conflict, NotFound, RateLimited, Rejected, scrubCredential, Unauthorized, Unavailable } from '../../src/remediate/errors.js';
import { VaultKv2Store } from '../../src/remediate/stores/vault-kv2.js';
import { isVaultTarget, parseAwsSecret, storeKind, targetName, type StoreTarget } from '../../src/remediate/target.js';
import type { KvStore } from '../../src/remediate/vault/client.js';

const old: StoreTarget = { mount: 'apps-prod', path: 'team/app/db', property: 'password' };
const aws: StoreTarget = { kind: 'aws-sm', region: 'eu-west-1', secretId: 'prod/app/db', property: 'password' };

it('a target without kind (a journal from before AWS support) is Vault KV v2, named as before', () => {
  expect(storeKind(old)).toBe('vault-kv2');
  expect(isVaultTarget(old)).toBe(true);
  expect(targetName(old)).toBe('apps-prod/team/app/db#password');
  expect(targetName(aws)).toBe('aws-sm:eu-west-1/prod/app/db#password');
  expect(targetName({ kind: 'aws-sm', region: 'eu-west-1', secretId: 'plain' })).toBe('aws-sm:eu-west-1/plain');
});

it('ApplyDeps.vault serves a Vault target as the KV v2 adapter; a target without its store is a clear error', () => {
  const vault = { address: 'http://v', namespace: undefined } as unknown as KvStore;
  expect(storeOf({ vault }, old)).toBeInstanceOf(VaultKv2Store);
  expect(() => storeOf({ vault }, aws)).toThrow('AWS Secrets Manager: no client configured for aws-sm:eu-west-1/prod/app/db#password');
});

it('--aws-secret takes the region from --aws-region or the ARN, and says what is missing', () => {
  expect(parseAwsSecret('prod/app/db', 'password', 'eu-west-1')).toEqual(aws);
  expect(parseAwsSecret('arn:aws:secretsmanager:us-east-2:111122223333:secret:prod/app/db-AbCdEf', undefined, undefined)).toEqual({ kind: 'aws-sm', region: 'us-east-2', secretId: 'arn:aws:secretsmanager:us-east-2:111122223333:secret:prod/app/db-AbCdEf' });
  expect(() => parseAwsSecret('prod/app/db', 'password', undefined)).toThrow('--aws-region: required with --aws-secret');
  expect(() => parseAwsSecret(' ', undefined, 'eu-west-1')).toThrow('--aws-secret: expected a secret name or ARN');
});

it('maps Secrets Manager error types (bare, namespaced, or in X-Amzn-ErrorType) to the typed errors', () => {
  expect(errorType(null, { __type: 'com.amazonaws.secretsmanager#ResourceNotFoundException' })).toBe('ResourceNotFoundException');
  expect(errorType('ThrottlingException:http://internal.amazon.com/coral/', {})).toBe('ThrottlingException');
  const h = (more: Record<string, string> = {}) => new Headers(more);
  expect(awsError('GetSecretValue x', 400, h(), { __type: 'ResourceNotFoundException', message: "can't find" })).toBeInstanceOf(NotFound);
  expect(awsError('x', 400, h(), { __type: 'AccessDeniedException', Message: 'no' })).toBeInstanceOf(Unauthorized);
  expect(awsError('x', 400, h(), { __type: 'ResourceExistsException' })).toBeInstanceOf(Conflict);
  expect(awsError('x', 400, h(), { __type: 'InvalidRequestException' })).toBeInstanceOf(Rejected);
  expect(awsError('x', 500, h(), { __type: 'InternalServiceError' })).toBeInstanceOf(Unavailable);
  const throttled = awsError('x', 400, h({ 'retry-after': '7' }), { __type: 'ThrottlingException', message: 'Rate exceeded' });
  expect(throttled).toBeInstanceOf(RateLimited);
  expect((throttled as RateLimited).retryAfter).toBe(7);
  expect(throttled.message).toBe('aws-sm: x: ThrottlingException: Rate exceeded');
});

it('an error message never carries a registered AWS credential, even when the service echoes it', () => {
  const key = 'k'.repeat(40);
  scrubCredential(key);
  const err = awsError('PutSecretValue x', 400, new Headers(), { __type: 'InvalidRequestException', message: `bad signature for ${key}` });
  expect(err.message).not.toContain(key);
  expect(err.message).toContain('[REDACTED]');
});
