// AWS credentials and region the standard way: environment variables first, then the profile in the shared files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { credentialsFromEnv, parseIni, regionFromEnv } from '../../src/remediate/aws/credentials.js';
import { stripCredentials, Unauthorized } from '../../src/remediate/errors.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'spillway-aws-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const secret = (c: string) => c.repeat(40);

function files(credentials: string, config: string): void {
  writeFileSync(join(home, 'credentials'), credentials);
  writeFileSync(join(home, 'config'), config);
}

const env = (more: Record<string, string>) => ({ HOME: home, AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWS_CONFIG_FILE: join(home, 'config'), ...more });

it('takes AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN over any profile, and scrubs them from messages', () => {
  files(`[default]\naws_access_key_id = file-key-id\naws_secret_access_key = ${secret('f')}\n`, '');
  const c = credentialsFromEnv(env({ AWS_ACCESS_KEY_ID: 'env-key-id-1', AWS_SECRET_ACCESS_KEY: secret('e'), AWS_SESSION_TOKEN: secret('t') }));
  expect(c.accessKeyId).toBe('env-key-id-1');
  expect(c.secretAccessKey.reveal()).toBe(secret('e'));
  expect(c.sessionToken?.reveal()).toBe(secret('t'));
  expect(c.source).toBe('environment');
  expect(stripCredentials(`echo ${secret('e')} and ${secret('t')}`)).toBe('echo [REDACTED] and [REDACTED]');
});

it('reads the AWS_PROFILE profile: keys from the credentials file, [profile NAME] of the config file for the rest', () => {
  files(`# comment\n[default]\naws_access_key_id = default-id\naws_secret_access_key = ${secret('d')}\n\n[ops]\naws_access_key_id = ops-key-id\naws_secret_access_key = ${secret('o')}\naws_session_token = ${secret('s')}\n`, `[default]\nregion = us-east-1\n[profile ops]\nregion = eu-central-1\n`);
  const c = credentialsFromEnv(env({ AWS_PROFILE: 'ops' }));
  expect(c).toMatchObject({ accessKeyId: 'ops-key-id', source: 'profile ops' });
  expect(c.sessionToken?.reveal()).toBe(secret('s'));
  expect(regionFromEnv(env({ AWS_PROFILE: 'ops' }))).toBe('eu-central-1');
  expect(regionFromEnv(env({}))).toBe('us-east-1');
  expect(credentialsFromEnv(env({})).accessKeyId).toBe('default-id');
});

it('AWS_REGION wins over AWS_DEFAULT_REGION, which wins over the profile', () => {
  files('', '[default]\nregion = us-east-1\n');
  expect(regionFromEnv(env({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' }))).toBe('eu-west-1');
  expect(regionFromEnv(env({ AWS_DEFAULT_REGION: 'eu-west-2' }))).toBe('eu-west-2');
});

it('keys in the config file work too (as the AWS CLI allows), and ~/.aws/ is the default place', () => {
  const dir = join(home, '.aws');
  rmSync(dir, { recursive: true, force: true });
  files('', '');
  writeFileSync(join(home, 'config'), `[profile cfg]\naws_access_key_id = cfg-key-id\naws_secret_access_key = ${secret('c')}\n`);
  expect(credentialsFromEnv(env({ AWS_PROFILE: 'cfg' })).accessKeyId).toBe('cfg-key-id');
  expect(() => credentialsFromEnv({ HOME: home })).toThrow(`no keys for profile default in ${join(home, '.aws', 'credentials')}, ${join(home, '.aws', 'config')}`);
});

it('no credentials, or a profile that needs a role or SSO, is Unauthorized saying what to do', () => {
  files('', '[profile sso]\nsso_session = corp\nsso_account_id = 1\n');
  expect(() => credentialsFromEnv(env({}))).toThrow(Unauthorized);
  expect(() => credentialsFromEnv(env({}))).toThrow('aws: no credentials: no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and no keys for profile default');
  expect(() => credentialsFromEnv(env({ AWS_PROFILE: 'sso' }))).toThrow('profile sso gets its credentials through sso_session, which spillway does not run; export them first (`aws configure export-credentials --profile sso --format env`)');
});

it('parses INI sections and keys, ignoring comments and blank lines', () => {
  expect(parseIni('; c\n[a]\nK = v = w\n\n[ b ]\nx=1\n')).toEqual(new Map([['a', new Map([['k', 'v = w']])], ['b', new Map([['x', '1']])]]));
});
