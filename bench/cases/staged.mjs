// Pre-commit benchmark: `spillway scan --staged` on a 20-file commit against bare Node start-up (`node -e 0`) and,
// when its binary is found, gitleaks' pre-commit mode on the same commit, interleaved, median of N runs; also the
// git processes one scan starts. gitleaks: $SPILLWAY_BENCH_GITLEAKS, else `gitleaks` on PATH (skipped if neither).
// Usage: npm run build && node bench/cases/staged.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runInterleaved, timeRun } from '../lib/measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runsIndex = process.argv.indexOf('--runs');
const RUNS = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 9;
const repo = join(root, 'bench', '.work', 'staged-20');
const bin = join(root, 'dist', 'cli', 'bin.js');
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.test', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.test' };
const git = (...args) => spawnSync('git', ['-C', repo, ...args], { env, encoding: 'utf8' });

if (!existsSync(bin)) {
  console.error('dist/cli/bin.js is missing: run `npm run build` first');
  process.exit(2);
}

/** A source file of `lines` lines that looks like ordinary code. */
function source(name, lines, salt) {
  const out = [];
  for (let i = 0; i < lines; i++) out.push(`export function ${name}_${i}(value) { return value * ${i + salt} + ${JSON.stringify(`${name}-${i}`)}; }`);
  return out.join('\n') + '\n';
}

rmSync(repo, { recursive: true, force: true });
mkdirSync(repo, { recursive: true });
git('init', '-q', '-b', 'main');
for (let f = 0; f < 200; f++) {
  mkdirSync(join(repo, `src/m${f % 10}`), { recursive: true });
  writeFileSync(join(repo, `src/m${f % 10}/f${f}.js`), source(`f${f}`, 300, 0));
}
git('add', '-A');
git('commit', '-q', '-m', 'base');
// The commit under test: 15 files changed in a few places, 5 new files.
for (let f = 0; f < 15; f++) {
  const path = join(repo, `src/m${f % 10}/f${f}.js`);
  writeFileSync(path, source(`f${f}`, 300, 0).replace(/\n/g, (m, at) => (at % 997 === 0 ? '\n// changed\n' : m)) + source(`g${f}`, 40, 7));
}
for (let f = 0; f < 5; f++) writeFileSync(join(repo, `src/new${f}.js`), source(`n${f}`, 200, 3));
git('add', '-A');
const staged = git('diff', '--cached', '--name-only').stdout.trim().split('\n').length;

const time = (cmd, args, cwd, extraEnv = {}) => timeRun(cmd, args, { cwd, env: { ...env, ...extraEnv } });

/** The gitleaks binary to compare with, and its pre-commit command line (`git --pre-commit` since 8.19, `protect` before). */
function findGitleaks() {
  const candidates = [process.env.SPILLWAY_BENCH_GITLEAKS, ...(process.env.PATH ?? '').split(':').map((d) => d && join(d, 'gitleaks'))];
  const bin = candidates.find((c) => c && existsSync(c));
  if (!bin) return undefined;
  const version = spawnSync(bin, ['version'], { encoding: 'utf8' }).stdout.trim();
  const modern = spawnSync(bin, ['git', '--help'], { encoding: 'utf8' }).status === 0;
  const args = modern ? ['git', '--pre-commit', '--staged', '--no-banner', repo] : ['protect', '--staged', '--source', repo, '--no-banner'];
  // Some builds (Debian's package) print no number: say so rather than guess.
  return { bin, version: /\d+\.\d+\.\d+/.test(version) ? version : `not recorded in this build (it prints "${version}")`, args };
}

/** The git processes one `scan --staged` starts, counted through a logging `git` first on PATH. */
function gitCalls() {
  const shim = join(root, 'bench', '.work', 'git-shim');
  const log = join(shim, 'calls.log');
  const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  mkdirSync(shim, { recursive: true });
  writeFileSync(join(shim, 'git'), `#!/bin/sh\nfor a in "$@"; do case "$a" in -c|-C|--no-pager|*=*|/*) ;; *) printf '%s ' "$a" >> '${log}'; break;; esac; done\necho >> '${log}'\nexec '${realGit}' "$@"\n`);
  chmodSync(join(shim, 'git'), 0o755);
  rmSync(log, { force: true });
  time(process.execPath, [bin, 'scan', '--staged'], repo, { PATH: `${shim}:${env.PATH}` });
  return readFileSync(log, 'utf8').trim().split('\n').map((l) => l.trim());
}

const gitleaks = findGitleaks();
const cases = [
  { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
  { name: 'spillway scan --staged', cmd: process.execPath, args: [bin, 'scan', '--staged'] },
  ...(gitleaks ? [{ name: `gitleaks ${gitleaks.args[0]}`, cmd: gitleaks.bin, args: gitleaks.args }] : []),
];
// A first run of each fills caches (Node's compile cache, the page cache) as a developer's earlier commits have.
for (const c of cases) time(c.cmd, c.args, repo);
const results = runInterleaved(cases, RUNS, (c) => time(c.cmd, c.args, repo));
const floor = median(results.get('node -e 0').ms);
console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, staged commit: ${staged} files, median of ${RUNS}`);
if (gitleaks) console.log(`gitleaks: ${gitleaks.bin}, version ${gitleaks.version}; pre-commit mode: gitleaks ${gitleaks.args.join(' ')}`);
else console.log('gitleaks: not found (set SPILLWAY_BENCH_GITLEAKS or put gitleaks on PATH): comparison skipped');
for (const c of cases) {
  const r = results.get(c.name);
  const ms = median(r.ms);
  console.log(`${c.name.padEnd(24)} ${ms.toFixed(0).padStart(5)} ms wall (${(ms / floor).toFixed(2)}x node), ${median(r.cpuMs).toFixed(0).padStart(4)} ms CPU (git children included), peak RSS ${r.rssMb.toFixed(0)} MB`);
}
const calls = gitCalls();
console.log(`git processes per scan: ${calls.length} (${calls.join('; ')})`);
const ours = median(results.get('spillway scan --staged').ms);
console.log(`target scan --staged <= 3x node: ${ours <= 3 * floor ? 'met' : 'NOT met'} (${(ours / floor).toFixed(2)}x)`);
if (gitleaks) {
  const theirs = median(results.get(cases[2].name).ms);
  console.log(`target faster than gitleaks: ${ours < theirs ? 'met' : 'NOT met'} (${(ours / theirs).toFixed(2)}x gitleaks' wall time)`);
}
