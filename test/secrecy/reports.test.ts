// No byte spillway writes for a scan (reports on stdout or --output, stderr, --debug, progress, errors, the
// history cache) holds a secret it found, unless --show-secrets asks; and the tree is untouched.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { historyCommand } from '../../src/cli/commands/history.js';
import { scanCommand } from '../../src/cli/commands/scan.js';
import { loadConfig } from '../../src/config/load.js';
import { scanFiles } from '../../src/scan/files.js';
import { createProgress } from '../../src/scan/progress.js';
import { runCommand } from '../helpers/run-command.js';
import { commit, fakeAwsKeyId, initRepo } from '../helpers/temp-git.js';
import { leaksIn, listTree, modeOf } from './leak-check.js';

/** Fake secrets of well-known shapes, built at run time (no file of this repository holds one). */
const pick = (alphabet: string, n: number, seed: number): string => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + seed * 13 + ((i * i) % 11)) % alphabet.length]).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const AWS = fakeAwsKeyId(77);
const SLACK = `${'xox' + 'b-'}${pick('0123456789', 12, 1)}-${pick('0123456789', 13, 2)}-${pick(ALNUM, 24, 3)}`;
const STRIPE = `${'sk_' + 'live_'}${pick(ALNUM, 24, 4)}`;
const SECRETS = [AWS, SLACK, STRIPE];

const scratch = mkdtempSync(join(tmpdir(), 'spillway-secrecy-'));
const out = join(scratch, 'out');
const tree = join(scratch, 'tree');
const home = join(scratch, 'home');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function plant(dir: string): void {
  writeFileSync(join(dir, '.env'), `AWS_ACCESS_KEY_ID=${AWS}\nSLACK_BOT_TOKEN=${SLACK}\n`);
  writeFileSync(join(dir, 'billing.py'), `import stripe\nstripe.api_key = "${STRIPE}"\n`);
  // A broken manifest whose parse error could quote the line holding the secret.
  writeFileSync(join(dir, 'secret.yaml'), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  token: "${SLACK}\n  other: [unclosed\n`);
}

for (const d of [out, tree, home]) mkdirSync(d, { recursive: true });

const env = (): Record<string, string | undefined> => ({ PATH: process.env.PATH, HOME: home, SPILLWAY_FINGERPRINT_KEY: 'secrecy-test-key', NO_COLOR: undefined });

describe('scan', () => {
  it('with the redact default, no report format, on stdout or in --output, nor stderr or --debug, holds a secret; the tree is unchanged', async () => {
    plant(tree);
    const before = listTree(tree);
    const written: Record<string, string> = {};
    for (const format of ['text', 'json', 'sarif']) {
      const toStdout = await runCommand(scanCommand, ['scan', tree, '--no-git', '--format', format, '--debug'], env(), scratch);
      expect(toStdout.code, toStdout.stderr).toBe(1);
      written[`${format} stdout`] = toStdout.stdout;
      written[`${format} stderr`] = toStdout.stderr;
      const file = join(out, `report.${format}`);
      const toFile = await runCommand(scanCommand, ['scan', tree, '--no-git', '--format', format, '--output', file], env(), scratch);
      expect(toFile.code).toBe(1);
      expect(modeOf(file)).toBe(0o600);
      written[`${format} --output`] = readFileSync(file, 'utf8');
      written[`${format} --output stdout+stderr`] = toFile.stdout + toFile.stderr;
    }
    const tty = await runCommand(scanCommand, ['scan', tree, '--no-git'], env(), scratch, { isTTY: true });
    written['text on a terminal (colour, progress)'] = tty.stdout + tty.stderr;
    const report = JSON.parse(written['json --output']!) as { findings: unknown[] };
    expect(report.findings.length).toBeGreaterThanOrEqual(SECRETS.length);
    expect(written['text stderr']).toContain('debug');
    for (const [name, text] of Object.entries(written)) expect(leaksIn(text, SECRETS), name).toEqual([]);
    expect(listTree(tree)).toEqual(before);
  });

  it('--show-secrets, and only it, prints every secret in full (so the checks above can fail)', async () => {
    plant(tree);
    for (const format of ['text', 'json', 'sarif']) {
      const r = await runCommand(scanCommand, ['scan', tree, '--no-git', '--format', format, '--show-secrets'], env(), scratch);
      for (const secret of SECRETS) expect(r.stdout, `${format} --show-secrets`).toContain(secret);
      const refused = await runCommand(scanCommand, ['scan', tree, '--no-git', '--format', format, '--no-redact'], env(), scratch);
      expect(leaksIn(refused.stdout + refused.stderr, SECRETS), `${format} --no-redact`).toEqual([]);
    }
    const plain = await runCommand(scanCommand, ['scan', tree, '--no-git', '--format', 'json', '--redact'], env(), scratch);
    expect(leaksIn(plain.stdout, SECRETS)).toEqual([]);
  });

  it('a malformed baseline or config that holds a secret is named in the error without quoting it', async () => {
    plant(tree);
    const baseline = join(out, 'baseline.json');
    writeFileSync(baseline, `${AWS} is not JSON ${STRIPE}`);
    const bad = await runCommand(scanCommand, ['scan', tree, '--no-git', '--baseline', baseline], env(), scratch);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('baseline.json');
    const config = join(out, 'bad.toml');
    writeFileSync(config, `[allowlist]\nregexes = ['''${STRIPE}\n`);
    const badConfig = await runCommand(scanCommand, ['scan', tree, '--no-git', '--config', config], env(), scratch);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('bad.toml');
    expect(leaksIn(bad.stdout + bad.stderr, SECRETS)).toEqual([]);
    expect(leaksIn(badConfig.stdout + badConfig.stderr, SECRETS)).toEqual([]);
  });

  it('the fingerprint key it makes on first use is 0600 in a 0700 folder of the user config dir, not in the tree', async () => {
    plant(tree);
    const before = listTree(tree);
    const fresh = join(scratch, 'fresh-home');
    const r = await runCommand(scanCommand, ['scan', tree, '--no-git', '--format', 'json'], { PATH: process.env.PATH, HOME: fresh }, scratch);
    expect(r.code).toBe(1);
    expect(modeOf(join(fresh, '.config', 'spillway', 'fingerprint.key'))).toBe(0o600);
    expect(modeOf(join(fresh, '.config', 'spillway'))).toBe(0o700);
    expect(listTree(tree)).toEqual(before);
  });
});

describe('history', () => {
  it('reports, --debug and the cache hold no secret from a blob or a commit message; the cache is 0600 and the work tree unchanged', async () => {
    const repo = initRepo(join(scratch, 'repo'));
    commit(repo, 'add settings', { '.env': `AWS_ACCESS_KEY_ID=${AWS}\n`, 'billing.py': `stripe.api_key = "${STRIPE}"\n` });
    commit(repo, `rotate: the old token was ${SLACK}`, { '.env': null, 'README.md': '# app\n' });
    const before = listTree(repo).filter((l) => !l.startsWith('.git'));
    const written: Record<string, string> = {};
    for (const format of ['text', 'json', 'sarif']) {
      const r = await runCommand(historyCommand, ['history', '--repo', repo, '--format', format, '--debug'], env(), scratch, { isTTY: format === 'text' });
      expect(r.code, r.stderr).toBe(1);
      written[format] = r.stdout + r.stderr;
    }
    const shown = await runCommand(historyCommand, ['history', '--repo', repo, '--format', 'json', '--show-secrets', '--no-cache'], env(), scratch);
    for (const secret of [AWS, STRIPE, SLACK]) expect(shown.stdout).toContain(secret);
    const cacheDir = join(repo, '.git', 'spillway');
    for (const f of readdirSync(cacheDir)) {
      expect(modeOf(join(cacheDir, f)), f).toBe(0o600);
      written[`cache ${f}`] = readFileSync(join(cacheDir, f), 'latin1');
    }
    for (const [name, text] of Object.entries(written)) expect(leaksIn(text, SECRETS), name).toEqual([]);
    expect(listTree(repo).filter((l) => !l.startsWith('.git'))).toEqual(before);
  });
});

describe('progress', () => {
  it('redrawn after every file of a scan that finds every secret, the progress line never shows one', async () => {
    plant(tree);
    let stderr = '';
    const progress = createProgress({ stderr: (t) => (stderr += t), isTTY: true }, { intervalMs: 0 });
    const config = await loadConfig({ root: tree });
    const result = await scanFiles({ root: tree, noGit: true, threads: 1, config, fingerprintKey: Buffer.from('secrecy'), onProgress: progress.update });
    progress.done();
    expect(result.findings.map((f) => f.secret.reveal())).toEqual(expect.arrayContaining(SECRETS));
    expect(stderr).toContain(`${result.findings.length} findings`);
    expect(leaksIn(stderr, SECRETS)).toEqual([]);
  });
});
