// AWS credentials and region the standard way: environment variables, then the shared credentials and config files.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '../../secret.js';
import { scrubCredential, Unauthorized } from '../errors.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: Secret;
  sessionToken?: Secret;
  /** Where they came from, for messages: `environment`, or `profile NAME (FILE)`. */
  source: string;
}

type Env = Record<string, string | undefined>;
type Ini = Map<string, Map<string, string>>;

/** Parses an AWS-style INI file (sections, `key = value`, `#`/`;` comments); a missing file is empty. */
export function parseIni(text: string): Ini {
  const out: Ini = new Map();
  let section: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (head) {
      section = out.get(head[1]!) ?? new Map();
      out.set(head[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (section && eq > 0) section.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return out;
}

function readIni(file: string): Ini {
  try {
    return parseIni(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Unauthorized(`aws: ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { service: 'aws' });
  }
}

function home(env: Env): string {
  return env.HOME || homedir();
}

/** `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`; `AWS_CONFIG_FILE` or `~/.aws/config`. */
export function awsFiles(env: Env): { credentials: string; config: string } {
  return {
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(home(env), '.aws', 'credentials'),
    config: env.AWS_CONFIG_FILE || join(home(env), '.aws', 'config'),
  };
}

/** The profile's settings: the credentials file's `[NAME]` over the config file's `[profile NAME]` (`[default]` for default). */
function profileSettings(env: Env): { name: string; settings: Map<string, string>; files: string } {
  const name = env.AWS_PROFILE || 'default';
  const files = awsFiles(env);
  const config = readIni(files.config);
  const fromConfig = config.get(name === 'default' ? 'default' : `profile ${name}`) ?? (name === 'default' ? config.get('profile default') : undefined);
  const settings = new Map([...(fromConfig ?? []), ...(readIni(files.credentials).get(name) ?? [])]);
  return { name, settings, files: `${files.credentials}, ${files.config}` };
}

/** The region: AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`. */
export function regionFromEnv(env: Env): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || profileSettings(env).settings.get('region') || undefined;
}

/**
 * Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), else from the profile (AWS_PROFILE,
 * default `default`) in the shared files. Each one is registered for scrubbing. Throws Unauthorized saying what to set.
 */
export function credentialsFromEnv(env: Env): AwsCredentials {
  let found: AwsCredentials;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    found = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: new Secret(env.AWS_SECRET_ACCESS_KEY), source: 'environment' };
    if (env.AWS_SESSION_TOKEN) found.sessionToken = new Secret(env.AWS_SESSION_TOKEN);
  } else {
    const { name, settings, files } = profileSettings(env);
    const id = settings.get('aws_access_key_id');
    const secret = settings.get('aws_secret_access_key');
    if (!id || !secret) {
      const indirect = ['role_arn', 'sso_session', 'sso_start_url', 'credential_process', 'web_identity_token_file'].find((k) => settings.has(k));
      const why = indirect
        ? `profile ${name} gets its credentials through ${indirect}, which spillway does not run; export them first (\`aws configure export-credentials --profile ${name} --format env\`)`
        : `no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and no keys for profile ${name} in ${files}`;
      throw new Unauthorized(`aws: no credentials: ${why}`, { service: 'aws' });
    }
    found = { accessKeyId: id, secretAccessKey: new Secret(secret), source: `profile ${name}` };
    const token = settings.get('aws_session_token');
    if (token) found.sessionToken = new Secret(token);
  }
  for (const c of [found.accessKeyId, found.secretAccessKey.reveal(), found.sessionToken?.reveal()]) scrubCredential(c);
  return found;
}
