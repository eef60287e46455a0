// Start-up: the bundled CLI (scripts/bundle-cli.mjs) answers as the per-module build does, and Node's compile
// cache goes to the user's cache folder, never into a scanned tree.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { compileCacheDir } from '../../src/cli/compile-cache.js';
import { scanCommand } from '../../src/cli/commands/scan.js';
import { defaultArgs } from '../../src/cli/main.js';
import { BIN, REPO } from './run.js';

const MAIN = pathToFileURL(join(REPO, 'dist/cli/main.js')).href;
const FIXTURES = join(REPO, 'fixtures');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const res = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), SPILLWAY_FINGERPRINT_KEY: 'startup-test', ...env } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** The bundled executable. */
const bundled = (args: string[], cwd: string, env?: Record<string, string>): Run => run([BIN, ...args], cwd, env);

/** The same CLI from tsc's per-module files (dist/cli/main.js), as bin.js would run it unbundled. */
function perModule(args: string[], cwd: string): Run {
  const code = `const { runCli } = await import(${JSON.stringify(MAIN)});
    process.exitCode = await runCli(process.argv.slice(1), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t),
      isTTY: false, env: process.env, cwd: process.cwd(), stdin: process.stdin });`;
  return run(['--input-type=module', '-e', code, '--', ...args], cwd);
}

/** A report without its clock readings. */
const timeless = (json: string): unknown => JSON.parse(json.replace(/"(startedAt|finishedAt)": "[^"]*"/g, '"$1": ""'));

describe('the bundled CLI', () => {
  it('is what dist/cli/bin.js holds (the build bundled it)', () => {
    expect(readFileSync(BIN, 'utf8')).toContain('../bundle/');
  });

  it('prints the version alone, as package.json has it', () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(bundled(['--version'], REPO)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('finds in the fixtures what the per-module build finds, byte for byte but the clock', () => {
    const args = ['scan', FIXTURES, '--no-git', '--format', 'json'];
    const [a, b] = [bundled(args, REPO), perModule(args, REPO)];
    expect(a.code).toBe(1);
    expect(b.code).toBe(a.code);
    expect(a.stderr).toBe(b.stderr);
    expect((timeless(a.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(50);
    expect(timeless(a.stdout)).toEqual(timeless(b.stdout));
  });

  it('blocks the same staged commit with the same message', () => {
    const repo = mkdtempSync(join(tmpdir(), 'spillway-startup-'));
    execFileSync('git', ['init', '-q', repo]);
    writeFileSync(join(repo, 'deploy.sh'), `export GITHUB_TOKEN=${'ghp_'}${'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7d'}\n`);
    execFileSync('git', ['-C', repo, 'add', 'deploy.sh']);
    const [a, b] = [bundled(['scan', '--staged'], repo), perModule(['scan', '--staged'], repo)];
    expect(a.code).toBe(1);
    expect(a).toEqual(b);
  });

  it('a staged scan with a broken rule file reports it and ends: the index is read while the rules load, and git is stopped', () => {
    const repo = mkdtempSync(join(tmpdir(), 'spillway-startup-'));
    execFileSync('git', ['init', '-q', repo]);
    for (let i = 0; i < 30; i++) writeFileSync(join(repo, `f${i}.js`), `export const v${i} = ${i};\n`.repeat(2000));
    writeFileSync(join(repo, '.spillway.toml'), '[[rules]]\nid = "broken"\nregex = "("\n');
    execFileSync('git', ['-C', repo, 'add', '-A']);
    const r = bundled(['scan', '--staged'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^spillway: config error: broken: regex is not valid RE2 syntax.*\nspillway: fix the configuration above \(1 error\)\n$/s);
  });

  it('renders help and usage errors as the per-module build does (its help modules load on demand)', () => {
    for (const args of [['scan', '--help'], ['--help'], ['scan', '--no-such-flag'], ['histroy']]) {
      expect(bundled(args, REPO)).toEqual(perModule(args, REPO));
    }
  });
});

describe('the commit hook argv (scan --staged), parsed without yargs', () => {
  it('gives the scan command what yargs gives it', async () => {
    let parsed: unknown;
    await yargs(['scan', '--staged'])
      .scriptName('spillway')
      .exitProcess(false)
      .strict()
      .command({ command: scanCommand.command, describe: scanCommand.describe, builder: scanCommand.builder, handler: (args) => void (parsed = args) })
      .parseAsync();
    expect(defaultArgs(scanCommand, ['scan', '--staged'], { staged: true })).toEqual(parsed);
  });
});

describe('the compile cache folder', () => {
  const home = mkdtempSync(join(tmpdir(), 'spillway-home-'));
  const elsewhere = mkdtempSync(join(tmpdir(), 'spillway-cwd-'));
  const env = { HOME: home };
  const cache = join(home, '.cache', 'spillway', 'compile-cache');

  it('is in the user cache folder ($XDG_CACHE_HOME, else ~/.cache), or $NODE_COMPILE_CACHE', () => {
    expect(compileCacheDir(env, elsewhere, ['scan'])).toBe(cache);
    expect(compileCacheDir({ ...env, XDG_CACHE_HOME: join(home, 'xdg') }, elsewhere, [])).toBe(join(home, 'xdg', 'spillway', 'compile-cache'));
    expect(compileCacheDir({ ...env, NODE_COMPILE_CACHE: join(home, 'ncc') }, elsewhere, [])).toBe(join(home, 'ncc'));
  });

  it('is none when it would be inside the working directory, a path argument or the checkout around them', () => {
    expect(compileCacheDir(env, home, ['scan'])).toBeUndefined();
    expect(compileCacheDir(env, elsewhere, ['scan', home])).toBeUndefined();
    expect(compileCacheDir(env, elsewhere, ['scan', join(home, '.cache')])).toBeUndefined();
    mkdirSync(join(home, '.git'), { recursive: true });
    mkdirSync(join(home, 'src'), { recursive: true });
    expect(compileCacheDir(env, join(home, 'src'), ['scan', '--staged'])).toBeUndefined();
    expect(compileCacheDir({ HOME: elsewhere, NODE_COMPILE_CACHE: join(home, 'ncc') }, join(home, 'src'), [])).toBeUndefined();
    expect(compileCacheDir({ HOME: elsewhere, NODE_COMPILE_CACHE: 'relative/dir' }, elsewhere, [])).toBeUndefined();
  });

  const canCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  it.skipIf(!canCache)('is filled by a scan outside the tree, and a scan whose HOME is the scanned checkout writes nothing into it', () => {
    const outside = mkdtempSync(join(tmpdir(), 'spillway-home-'));
    const repo = mkdtempSync(join(tmpdir(), 'spillway-startup-'));
    execFileSync('git', ['init', '-q', repo]);
    writeFileSync(join(repo, 'app.js'), 'export const answer = 42;\n');
    execFileSync('git', ['-C', repo, 'add', 'app.js']);
    expect(bundled(['scan', '--staged'], repo, { HOME: outside }).code).toBe(0);
    expect(readdirSync(join(outside, '.cache', 'spillway', 'compile-cache')).length).toBeGreaterThan(0);
    for (const args of [['scan', '--staged'], ['scan', '.']]) expect(bundled(args, repo, { HOME: repo }).code).toBe(0);
    expect(readdirSync(repo).sort()).toEqual(['.git', 'app.js']);
  });
});
