// `spillway logs` and `spillway image` end to end, in process: options, JSON report, notes and exit codes.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import yargs from 'yargs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO, SpillwayCommand } from '../../src/cli/command.js';
import { imageCommand } from '../../src/cli/commands/image.js';
import { logsCommand } from '../../src/cli/commands/logs.js';
import { FIXTURES } from './helpers.js';
import { dockerSave } from './image-archives.js';
import { startFakeGithub } from './github-server.js';
import type { FakeGithub } from './github-server.js';

const dir = mkdtempSync(join(tmpdir(), 'spillway-infra-cli-'));
const TOKEN = 'cli-token-' + 'b'.repeat(8);
const secret = (name: string): string => `${name}-f4ke-pass`;

async function run(command: SpillwayCommand<any>, argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: false,
    env: { SPILLWAY_FINGERPRINT_KEY: 'infra-cli-test', HOME: dir, ...env },
    cwd: dir,
  };
  let pending: Promise<number> | undefined;
  await yargs(argv)
    .exitProcess(false)
    .strict()
    .command({ command: command.command, describe: command.describe, builder: command.builder, handler: (args) => void (pending = command.run(args, io)) })
    .parseAsync();
  const code = await pending!;
  return { code, stdout, stderr, json: stdout.startsWith('{') ? JSON.parse(stdout) : undefined };
}

let github: FakeGithub;
beforeAll(async () => {
  github = await startFakeGithub({
    token: TOKEN,
    runs: [],
    runLogs: { 7: zipSync({ 'deploy/1_Upload.txt': strToU8(`2024-03-01T10:00:00.0000000Z + curl -u ci:${secret('Cli')} https://x.internal/up`) }) },
    jobs: {},
    rateLimitedOnce: [],
  });
});
afterAll(() => github.close());

describe('spillway logs', () => {
  it('scans log files: original lines, place ci-log, redacted secrets, exit 1', async () => {
    copyFileSync(join(FIXTURES, 'ci-logs/github/job.log'), join(dir, 'job.log'));
    const r = await run(logsCommand, ['logs', 'job.log', '-f', 'json']);
    expect(r.code).toBe(1);
    expect(r.json.scan.mode).toBe('ci-log');
    expect(r.json.findings.map((f: any) => [f.path, f.startLine, f.ruleId, f.place])).toEqual([
      ['job.log', 12, 'dockerfile-run-url-credentials', 'ci-log'],
      ['job.log', 13, 'dockerfile-run-basic-auth', 'ci-log'],
    ]);
    expect(r.json.findings[1].provenance).toMatchObject({ kind: 'ci-log', path: 'job.log', step: './deploy.sh' });
    expect(r.stdout).not.toContain('L0g-f4ke-pass');
  });

  it('an unreadable file is an error note naming it; nothing scanned means exit 2', async () => {
    const r = await run(logsCommand, ['logs', 'missing.log', '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.json.notes).toEqual([{ level: 'error', input: 'missing.log', message: 'cannot read: no such file or folder' }]);
  });

  it('--github OWNER/REPO --run ID downloads the run logs from GITHUB_API_URL with GITHUB_TOKEN', async () => {
    const r = await run(logsCommand, ['logs', '--github', 'acme/app', '--run', '7', '-f', 'json'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url });
    expect(r.code).toBe(1);
    expect(r.json.findings.map((f: any) => [f.path, f.startLine, f.ruleId, f.provenance.run, f.provenance.job, f.provenance.step])).toEqual([
      ['acme/app/actions/runs/7/deploy/1_Upload.txt', 1, 'dockerfile-run-basic-auth', '7', 'deploy', 'Upload'],
    ]);
  });

  it('usage errors exit 2 with a message', async () => {
    expect((await run(logsCommand, ['logs'])).code).toBe(2);
    const r = await run(logsCommand, ['logs', '--github', 'acme/app']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--run RUN_ID, --job JOB_ID or --since DATE/);
    expect((await run(logsCommand, ['logs', 'job.log', '--run', '3'])).stderr).toMatch(/go with --github/);
  });
});

describe('spillway image', () => {
  it('scans a docker save archive: layer digest, path, deletedLater in the JSON report', async () => {
    const { archive, layerDigests } = await dockerSave({
      env: [`API_TOKEN=${secret('Env')}`],
      layers: [
        [{ name: 'srv/docker-compose.yml', data: `services:\n  a:\n    environment:\n      DB_PASSWORD: ${secret('Layer')}\n` }],
        [{ name: 'srv/.wh.docker-compose.yml' }],
      ],
    });
    writeFileSync(join(dir, 'app.tar'), archive);
    const r = await run(imageCommand, ['image', 'app.tar', '-f', 'json']);
    expect(r.code).toBe(1);
    expect(r.json.scan.mode).toBe('image');
    expect(r.json.findings.map((f: any) => [f.path, f.startLine, f.ruleId, f.place, f.provenance.layer === layerDigests[0], f.provenance.deletedLater ?? false])).toEqual([
      ['config/Env', 1, 'dockerfile-env-secret', 'image.config.env', false, false],
      ['srv/docker-compose.yml', 4, 'compose-environment-secret', 'compose.environment', true, true],
    ]);
    expect(r.stdout).not.toContain(secret('Layer'));
  });

  it('a file that is not an image archive: error note naming it, exit 2', async () => {
    writeFileSync(join(dir, 'not-an-image.tar'), 'hello');
    const r = await run(imageCommand, ['image', 'not-an-image.tar', '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.json.notes[0]).toMatchObject({ level: 'error', input: 'not-an-image.tar' });
  });
});
