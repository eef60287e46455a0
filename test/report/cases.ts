// Report test cases built by hand: findings of every provenance kind with fake secrets made at run time.
import { fileURLToPath } from 'node:url';
import { Secret } from '../../src/secret.js';
import type { Confidence, Finding, Provenance, ReportContext, RuleMeta, ScanNote, Severity } from '../../src/types.js';

/** The repository root: a real absolute path, so goldens show that absolute paths are normalised. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** Deterministic pseudo-random characters, so goldens stay stable while no real-looking token is in the source. */
export function fakeChars(seed: number, length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
  let state = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out += alphabet[(state >>> 16) % alphabet.length];
  }
  return out;
}

const HEX = '0123456789abcdef';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export const SECRETS = {
  githubPat: 'gh' + 'p_' + fakeChars(1, 36),
  awsKeyId: 'AK' + 'IA' + fakeChars(2, 16, UPPER),
  awsSecret: fakeChars(3, 40, B64),
  slackToken: 'xo' + 'xb-' + fakeChars(4, 12, '0123456789') + '-' + fakeChars(5, 24),
  password: 'Pa' + fakeChars(6, 14),
  stripe: 'sk' + '_live_' + fakeChars(7, 24),
  pem: [
    '-----BEGIN ' + 'RSA PRIVATE' + ' KEY-----',
    ...Array.from({ length: 4 }, (_, i) => fakeChars(10 + i, 64, B64)),
    fakeChars(20, 24, B64) + '==',
    '-----END ' + 'RSA PRIVATE' + ' KEY-----',
  ].join('\n'),
  npm: 'np' + 'm_' + fakeChars(8, 36),
  dbPassword: 'db' + fakeChars(9, 18),
};

export const COMMITS = {
  first: fakeChars(30, 40, HEX),
  second: fakeChars(31, 40, HEX),
  third: fakeChars(32, 40, HEX),
  oldest: fakeChars(33, 40, HEX),
};

export interface FindingSpec {
  ruleId: string;
  description?: string;
  severity?: Severity;
  confidence?: Confidence;
  secret: string;
  /** The source line(s) holding the secret. */
  line: string;
  /** 1-based line of the first line of `line`. */
  lineNumber?: number;
  provenance: Provenance;
  identifier?: string;
  place?: string;
  entropy?: number;
  message?: string;
  tags?: string[];
  /** For decoded findings, `line` is the decoded text (as the detector gives it); the location points at the
   * encoded value in this original line instead. */
  decoded?: { originalLine: string; encoded: string };
  validation?: Finding['validation'];
}

/** A Finding as the detector would produce it: the location is computed from where the secret sits in `line`. */
export function finding(spec: FindingSpec): Finding {
  const target = spec.decoded?.encoded ?? spec.secret;
  const original = spec.decoded?.originalLine ?? spec.line;
  const at = original.indexOf(target);
  if (at < 0 || !spec.line.includes(spec.secret)) throw new Error(`test case: ${spec.ruleId} secret not in its line`);
  const before = original.slice(0, at).split('\n');
  const inside = target.split('\n');
  const first = spec.lineNumber ?? 1;
  const startLine = first + before.length - 1;
  const startColumn = before[before.length - 1]!.length + 1;
  const endLine = startLine + inside.length - 1;
  const endColumn = inside.length === 1 ? startColumn + target.length : inside[inside.length - 1]!.length + 1;
  return {
    ruleId: spec.ruleId,
    description: spec.description ?? RULES.find((r) => r.id === spec.ruleId)?.description ?? spec.ruleId,
    severity: spec.severity ?? RULES.find((r) => r.id === spec.ruleId)?.severity ?? 'high',
    confidence: spec.confidence ?? 'high',
    location: { path: spec.provenance.path, startLine, startColumn, endLine, endColumn },
    provenance: spec.provenance,
    secret: new Secret(spec.secret),
    match: new Secret(spec.secret),
    line: new Secret(spec.line),
    fingerprint: `${spec.ruleId}:${spec.provenance.path}:${fakeChars(spec.secret.length * 7 + spec.ruleId.length, 32, HEX)}`,
    tags: spec.tags ?? RULES.find((r) => r.id === spec.ruleId)?.tags ?? [],
    ...(spec.identifier !== undefined && { identifier: spec.identifier }),
    ...(spec.place !== undefined && { place: spec.place }),
    ...(spec.entropy !== undefined && { entropy: spec.entropy }),
    ...(spec.message !== undefined && { message: spec.message }),
    ...(spec.decoded !== undefined && { decodedFrom: 'base64' as const }),
    ...(spec.validation !== undefined && { validation: spec.validation }),
  };
}

export const RULES: RuleMeta[] = [
  { id: 'github-pat', description: 'GitHub personal access token (classic)', severity: 'high', tags: ['github'], remediation: 'Revoke the token at https://github.com/settings/tokens and create a new one with the least scopes needed.' },
  { id: 'aws-access-key-id', description: 'AWS access key ID', severity: 'high', tags: ['aws'] },
  { id: 'aws-secret-access-key', description: 'AWS secret access key', severity: 'critical', tags: ['aws'], remediation: 'Deactivate the key pair in IAM, create a new one, and move it to a secret store.' },
  { id: 'slack-bot-token', description: 'Slack bot token', severity: 'medium', tags: ['slack'] },
  { id: 'generic-password', description: 'Password assignment', severity: 'medium', tags: ['generic'] },
  { id: 'private-key-rsa', description: 'RSA private key', severity: 'critical', tags: ['private-key'], remediation: 'Replace the key pair; remove the private key from the repository and its history.' },
  { id: 'stripe-live-secret-key', description: 'Stripe live secret key', severity: 'critical', tags: ['stripe'] },
  { id: 'npm-token', description: 'npm access token', severity: 'high', tags: ['npm'] },
  { id: 'postgres-url', description: 'PostgreSQL URL with an embedded password', severity: 'high', tags: ['database'] },
  { id: 'unused-rule', description: 'A rule with no result in any case', severity: 'low', tags: [] },
];

export interface ReportCase {
  name: string;
  findings: Finding[];
  ctx: ReportContext;
}

function context(mode: ReportContext['info']['mode'], notes: ScanNote[] = [], extra: Partial<ReportContext['info']> = {}): ReportContext {
  return {
    rules: RULES,
    info: { root: ROOT, mode, startedAt: '2026-01-02T03:04:05.000Z', finishedAt: '2026-01-02T03:04:07.250Z', ...extra },
    notes,
    toolVersion: '0.1.0',
    showSecrets: false,
  };
}

const S = SECRETS;

function filesCase(): ReportCase {
  const app = { kind: 'file', path: 'src/app.ts' } as const;
  const env = { kind: 'file', path: 'deploy/.env' } as const;
  return {
    name: 'files',
    // Deliberately unsorted: reporters sort.
    findings: [
      finding({ ruleId: 'aws-secret-access-key', secret: S.awsSecret, line: `AWS_SECRET_ACCESS_KEY=${S.awsSecret}`, lineNumber: 2, provenance: env, identifier: 'AWS_SECRET_ACCESS_KEY', place: 'dotenv', entropy: 5.1234 }),
      finding({ ruleId: 'github-pat', secret: S.githubPat, line: `const token = "${S.githubPat}"; // again: ${S.githubPat}`, lineNumber: 3, provenance: app, identifier: 'token', validation: 'checksum-valid', entropy: 4.8 }),
      finding({ ruleId: 'aws-access-key-id', secret: S.awsKeyId, line: `AWS_ACCESS_KEY_ID=${S.awsKeyId}`, lineNumber: 1, provenance: env, identifier: 'AWS_ACCESS_KEY_ID', place: 'dotenv' }),
      finding({ ruleId: 'slack-bot-token', secret: S.slackToken, line: `  slack: { token: '${S.slackToken}' },`, lineNumber: 12, provenance: app, message: `Revoke it in the Slack app settings; do not paste ${S.slackToken} anywhere.` }),
      finding({ ruleId: 'custom-internal-key', description: 'Internal API key (user rule)', severity: 'low', confidence: 'low', secret: S.npm, line: `internal_key = ${S.npm}`, lineNumber: 40, provenance: app, tags: ['custom'] }),
    ],
    ctx: context('files', [
      { level: 'warning', input: 'assets/big.bin', message: 'skipped: binary file' },
      { level: 'info', input: 'vendor/huge.js', message: 'skipped: larger than 10 MB' },
    ]),
  };
}

function gitCase(): ReportCase {
  const author = { author: 'Alice Example', email: 'alice@example.com' };
  return {
    name: 'git',
    findings: [
      finding({
        ruleId: 'stripe-live-secret-key', secret: S.stripe, line: `STRIPE_KEY = "${S.stripe}"`, lineNumber: 7,
        provenance: { kind: 'git', path: 'config/settings.py', commit: COMMITS.second, blob: fakeChars(40, 40, HEX), ...author, date: '2025-11-03T09:15:00Z', alsoIn: [{ commit: COMMITS.third, path: 'config/old_settings.py' }], presentAtHead: false },
        identifier: 'STRIPE_KEY',
      }),
      finding({
        ruleId: 'github-pat', secret: S.githubPat, line: `export GH_TOKEN=${S.githubPat}`, lineNumber: 1,
        provenance: { kind: 'git', path: 'scripts/release.sh', commit: COMMITS.first, blob: fakeChars(41, 40, HEX), author: 'Bob', date: '2025-10-01T12:00:00Z', presentAtHead: true },
        identifier: 'GH_TOKEN',
      }),
      // The oldest commit: listed last although its path sorts first.
      finding({
        ruleId: 'aws-access-key-id', secret: S.awsKeyId, line: `AWS_ACCESS_KEY_ID=${S.awsKeyId}`, lineNumber: 3,
        provenance: { kind: 'git', path: 'app/.env', commit: COMMITS.oldest, blob: fakeChars(42, 40, HEX), author: 'Carol', email: 'carol@corp.example', date: '2025-09-01T08:00:00+02:00', presentAtHead: false },
        identifier: 'AWS_ACCESS_KEY_ID', place: 'dotenv',
      }),
      finding({
        ruleId: 'postgres-url', secret: S.dbPassword, line: `Fix DB: use postgres://app:${S.dbPassword}@db.internal:5432/app`, lineNumber: 1,
        provenance: { kind: 'commit-message', path: `commit/${COMMITS.second}/message`, commit: COMMITS.second, ...author, date: '2025-11-03T09:15:00Z' },
      }),
    ],
    ctx: context('history', [], {
      repository: { uri: `https://x-access-token:${S.githubPat}@github.com/acme/app.git`, revision: COMMITS.third, branch: 'main' },
    }),
  };
}

function imageCase(): ReportCase {
  const layer = 'sha256:' + fakeChars(50, 64, HEX);
  return {
    name: 'image',
    findings: [
      finding({
        ruleId: 'npm-token', secret: S.npm, line: `ENV NPM_TOKEN=${S.npm}`, lineNumber: 4,
        provenance: { kind: 'image', path: 'Dockerfile', image: 'registry.example.com/app:1.2.3', layer }, identifier: 'NPM_TOKEN', place: 'dockerfile.env',
        message: 'Build-time secrets belong in BuildKit secret mounts, not ENV.',
      }),
      finding({
        ruleId: 'aws-secret-access-key', secret: S.awsSecret, line: `aws_secret_access_key = ${S.awsSecret}`, lineNumber: 3,
        provenance: { kind: 'image', path: 'root/.aws/credentials', image: 'registry.example.com/app:1.2.3', layer: 'sha256:' + fakeChars(51, 64, HEX), deletedLater: true },
        identifier: 'aws_secret_access_key',
      }),
    ],
    ctx: context('image'),
  };
}

function ciLogCase(): ReportCase {
  return {
    name: 'ci-log',
    findings: [
      finding({
        ruleId: 'github-pat', secret: S.githubPat, line: `2026-01-01T00:00:01.000Z + curl -H "Authorization: token ${S.githubPat}" https://api.github.com`, lineNumber: 118,
        provenance: { kind: 'ci-log', path: 'runs/4242/build/3_test.txt', run: '4242', job: 'build', step: 'test' }, place: 'ci-log',
      }),
    ],
    ctx: context('ci-log', [{ level: 'error', input: 'runs/4243', message: 'could not download the logs: HTTP 410 Gone' }]),
  };
}

function decodedCase(): ReportCase {
  const decoded = `postgres://app:${S.password}@db.internal:5432/app`;
  const encoded = Buffer.from(decoded, 'utf8').toString('base64');
  const manifest = { kind: 'file', path: 'k8s/secret.yaml' } as const;
  return {
    name: 'decoded',
    findings: [
      finding({
        ruleId: 'postgres-url', secret: S.password, line: decoded, lineNumber: 8,
        decoded: { originalLine: `  DATABASE_URL: ${encoded}`, encoded },
        provenance: manifest, identifier: 'DATABASE_URL', place: 'k8s.secret.data', entropy: 3.9,
      }),
    ],
    ctx: context('files'),
  };
}

function pemCase(): ReportCase {
  const block = S.pem;
  return {
    name: 'pem',
    findings: [
      finding({
        ruleId: 'private-key-rsa', secret: block, line: `PRIVATE_KEY="${block}"`, lineNumber: 4,
        provenance: { kind: 'file', path: 'certs/.env.production' }, identifier: 'PRIVATE_KEY',
      }),
    ],
    ctx: context('files'),
  };
}

function oddNamesCase(): ReportCase {
  const long = 'x'.repeat(400);
  return {
    name: 'odd-names',
    findings: [
      finding({ ruleId: 'github-pat', secret: S.githubPat, line: `token=${S.githubPat}`, provenance: { kind: 'file', path: 'my docs/notes #1 (100%).txt' } }),
      finding({ ruleId: 'github-pat', secret: S.githubPat, line: `token=${S.githubPat}`, provenance: { kind: 'file', path: 'données/clé.env' } }),
      finding({ ruleId: 'github-pat', secret: S.githubPat, line: `token=${S.githubPat}`, provenance: { kind: 'file', path: 'weird\nname|with`ticks`.env' } }),
      finding({ ruleId: 'github-pat', secret: S.githubPat, line: `token=${S.githubPat}`, provenance: { kind: 'file', path: 'c:drive,colon.txt' } }),
      finding({ ruleId: 'github-pat', secret: S.githubPat, line: `\x1b[31mred\x1b[0m \u202etoken=${S.githubPat}`, provenance: { kind: 'file', path: 'logs/ansi.log' } }),
      finding({ ruleId: 'github-pat', secret: S.githubPat, line: `var a="${long}",t="${S.githubPat}",b="${long}";`, provenance: { kind: 'file', path: 'dist/app.min.js' } }),
      finding({ ruleId: 'github-pat', secret: S.githubPat, line: `token=${S.githubPat}`, provenance: { kind: 'file', path: '日本語/設定 ファイル.ts' } }),
    ],
    ctx: context('files', [{ level: 'warning', input: 'bad\nname.bin', message: 'unreadable: EACCES' }]),
  };
}

function stagedCase(): ReportCase {
  return {
    name: 'staged',
    findings: [
      finding({
        ruleId: 'aws-access-key-id', secret: S.awsKeyId, line: `aws_access_key_id = ${S.awsKeyId}`, lineNumber: 2,
        provenance: { kind: 'staged', path: 'config/aws.ini', blob: fakeChars(60, 40, HEX) }, identifier: 'aws_access_key_id',
      }),
    ],
    ctx: context('staged', [], { repository: { uri: 'git@github.com:acme/app.git', branch: 'feature/x' } }),
  };
}

function emptyCase(): ReportCase {
  return { name: 'empty', findings: [], ctx: context('files') };
}

/** Every case, with `showSecrets` false (goldens hold only redacted values). */
export function reportCases(): ReportCase[] {
  return [emptyCase(), filesCase(), stagedCase(), gitCase(), imageCase(), ciLogCase(), decodedCase(), pemCase(), oddNamesCase()];
}
