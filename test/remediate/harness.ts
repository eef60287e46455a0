// Test harness: starts the local Vault, Kubernetes and GitHub servers seeded from fixtures/remediate, and runs the CLI.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { remediateCommand, type RemediateArgs } from '../../src/cli/commands/remediate.js';
import { startGitHub, type FakeGitHub } from './servers/github-server.js';
import { requestGate } from './servers/http-util.js';
import { startKube, type FakeKube } from './servers/k8s-server.js';
import { startVault, type FakeVault } from './servers/vault-server.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(ROOT, 'fixtures', 'remediate');
export const MOUNT = 'apps-prod';
export const NAMESPACE = 'minerva-prod/xred-eln';
export const DEMO_PATH = 'xred-eln/demo/api-config';
export const OTHER_PATH = 'xred-eln/other/api-config';
export const REPO = 'acme/incidents';

/** The leaked value, read from the fixture (never written in a test file). */
export function leakedValue(): string {
  return readFileSync(join(FIXTURES, 'scan', '.env'), 'utf8').split('\n')[1]!.slice('API_KEY='.length);
}

/** Tokens made at run time from pieces, so no test file holds a token-looking string. */
export const VAULT_TOKEN = ['hvs', 'test', 'x'.repeat(20)].join('.');
export const KUBE_TOKEN = ['kube', 'y'.repeat(24)].join('-');
export const GITHUB_TOKEN = ['ghp', 'z'.repeat(36)].join('_');

export interface World {
  vault: FakeVault;
  kube: FakeKube;
  github: FakeGitHub;
  /** A scratch directory: the cwd and HOME for the CLI (journals land in its .local/state), with copies of scan/ and infra/. */
  dir: string;
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

/** Starts all three servers, seeds them as the fixtures describe, and copies the fixtures to a scratch dir. */
export async function startWorld(): Promise<World> {
  const vault = await startVault({ token: VAULT_TOKEN, namespace: NAMESPACE, mounts: [MOUNT] });
  const kube = await startKube(KUBE_TOKEN);
  const github = await startGitHub(GITHUB_TOKEN, REPO);
  const other = `Other${'k'.repeat(35)}`;
  vault.put(MOUNT, DEMO_PATH, { API_KEY: leakedValue(), DB_PASSWORD: `db-${'p'.repeat(17)}` });
  vault.put(MOUNT, OTHER_PATH, { API_KEY: other, TIMEOUT: '30' });
  for (const [ns, name, api] of [['xred-eln', 'demo-app-secret', 'v1beta1'], ['xred-eln', 'other-app-secret', 'v1']] as const) {
    kube.add({ apiVersion: `external-secrets.io/${api}`, kind: 'ExternalSecret', metadata: { name, namespace: ns, annotations: { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' } }, spec: { target: { name } } });
    kube.add({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns } });
  }
  const container = (env: unknown) => ({ spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'x', ...(env as object) }] } } } });
  kube.add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'demo-backend', namespace: 'xred-eln' }, ...container({ env: [{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'demo-app-secret', key: 'API_KEY' } } }] }) });
  kube.add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'demo-cron', namespace: 'xred-eln' }, ...container({ envFrom: [{ secretRef: { name: 'demo-app-secret' } }] }) });
  kube.add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'unrelated', namespace: 'xred-eln' }, ...container({}) });
  const dir = mkdtempSync(join(tmpdir(), 'spillway-remediate-'));
  cpSync(join(FIXTURES, 'scan'), join(dir, 'scan'), { recursive: true });
  cpSync(join(FIXTURES, 'infra'), join(dir, 'infra'), { recursive: true });
  writeFileSync(join(dir, 'kubeconfig'), kube.kubeconfig());
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    VAULT_ADDR: vault.url,
    VAULT_TOKEN,
    VAULT_NAMESPACE: NAMESPACE,
    KUBECONFIG: join(dir, 'kubeconfig'),
    GITHUB_TOKEN,
    GITHUB_API_URL: github.url,
  };
  return {
    vault,
    kube,
    github,
    dir,
    env,
    async close() {
      await Promise.all([vault.close(), kube.close(), github.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A new key as the provider issues it: what a provider CLI given as --generator prints (made from pieces, no key in a file). */
export const ISSUED_KEY = ['Issued', 'n'.repeat(34)].join('');
export const ISSUED = ['--generator', `printf '%s\\n' ${ISSUED_KEY}`];

/** The usual arguments: the JSON report's first finding, the infra copy, issues in REPO. */
export function findingArgs(world: World, ...more: string[]): string[] {
  return ['--report', join(world.dir, 'scan', 'report.json'), '--finding', '0', '--infra', join(world.dir, 'infra'), '--github', REPO, ...more];
}

/** Runs `spillway remediate` in-process with yargs parsing `argv`, as the CLI does. */
export async function runCli(argv: string[], env: Record<string, string | undefined>, cwd: string, stdin?: NodeJS.ReadableStream): Promise<RunResult> {
  const args = (await remediateCommand.builder(yargs(argv)).strict().exitProcess(false).parseAsync()) as unknown as RemediateArgs;
  let stdout = '';
  let stderr = '';
  const code = await remediateCommand.run(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: false,
    env,
    cwd,
    ...(stdin ? { stdin } : {}),
  });
  return { code, stdout, stderr };
}

/** Starts the built CLI command (dist/) in a child process; `whenToKill` decides when to SIGKILL it. */
export function spawnCli(argv: string[], env: Record<string, string | undefined>, cwd: string): { done: Promise<RunResult & { signal: NodeJS.Signals | null }>; kill: () => void } {
  const child = spawn(process.execPath, [join(ROOT, 'test', 'remediate', 'run-remediate.mjs'), ...argv], { cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<RunResult & { signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr })));
  return { done, kill: () => child.kill('SIGKILL') };
}

/**
 * Runs the CLI with `argv` and SIGKILLs it at its `k`-th request to the local servers, `before` the server acts on
 * it or `after` (the answer then never reaches the CLI); resolves once the child is gone.
 */
export async function killAtRequest(argv: string[], env: Record<string, string | undefined>, cwd: string, phase: 'before' | 'after', k: number): Promise<RunResult & { signal: NodeJS.Signals | null }> {
  const run = spawnCli(argv, env, cwd);
  let n = 0;
  requestGate[phase] = async () => {
    if (n++ !== k) return true;
    run.kill();
    await run.done;
    return false;
  };
  try {
    return await run.done;
  } finally {
    requestGate[phase] = undefined;
  }
}

/** Where the CLI keeps incident journals for a world whose HOME is `dir`: the user's state folder, not the cwd. */
export function incidentsDir(dir: string): string {
  return join(dir, '.local', 'state', 'spillway', 'incidents');
}

/** The journal lines of the only incident in `dir`. */
export function journalLines(dir: string, id: string): { step: string; event: string; data?: Record<string, unknown> }[] {
  return readFileSync(join(incidentsDir(dir), `${id}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}
