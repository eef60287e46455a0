// Pre-commit benchmark: `spillway scan --staged` on a 20-file commit, minus bare Node start-up.
// Usage: npm run build && node bench/cases/staged.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function time(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], { cwd, env, encoding: 'utf8' });
  const [rssKb, user, sys] = res.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (user + sys) * 1000, status: res.status, rssMb: rssKb / 1024, stderr: res.stderr };
}

const bare = [];
const ours = [];
const bareCpu = [];
const oursCpu = [];
let rss = 0;
for (let i = 0; i < RUNS; i++) {
  const b = time(process.execPath, ['-e', '0'], repo);
  bare.push(b.ms);
  bareCpu.push(b.cpuMs);
  const r = time(process.execPath, [bin, 'scan', '--staged'], repo);
  if (r.status !== 0) {
    console.error(`spillway scan --staged exited ${r.status}:\n${r.stderr}`);
    process.exit(2);
  }
  ours.push(r.ms);
  oursCpu.push(r.cpuMs);
  rss = Math.max(rss, r.rssMb);
}
console.log(`staged commit: ${staged} files`);
console.log(`node -e 0 (start-up):       ${median(bare).toFixed(0)} ms (median of ${RUNS})`);
console.log(`spillway scan --staged:     ${median(ours).toFixed(0)} ms (median of ${RUNS}), peak RSS ${rss.toFixed(0)} MB`);
console.log(`besides Node start-up:      ${(median(ours) - median(bare)).toFixed(0)} ms wall, ${(median(oursCpu) - median(bareCpu)).toFixed(0)} ms CPU (user+sys, git children included)`);
