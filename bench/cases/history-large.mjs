// History benchmark on a real repository (opt-in): `spillway history` against the floor of reading every
// blob it reads once, in pack order. Skipped unless SPILLWAY_BENCH_HISTORY_REPO names a repository with a
// real pack (e.g. `git clone --no-local --bare` of git/git).
//   SPILLWAY_BENCH_HISTORY_REPO=/tmp/gitgit.git   the repository
//   SPILLWAY_BENCH_HISTORY_REV=<commit>           only the history of this commit (a prefix); default: every ref
//   SPILLWAY_BENCH_HISTORY_BASELINE=<bin.js>      also time another build (e.g. main's dist/cli/bin.js)
//   SPILLWAY_BENCH_HISTORY_ROUNDS=N               rounds, medians taken (default 1: a full run takes minutes)
// Usage: npm run build && SPILLWAY_BENCH_HISTORY_REPO=... node bench/cases/history-large.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const repo = process.env.SPILLWAY_BENCH_HISTORY_REPO;
if (!repo) {
  console.log('history-large: skipped (set SPILLWAY_BENCH_HISTORY_REPO to a repository with a real pack)');
  process.exit(0);
}
const rev = process.env.SPILLWAY_BENCH_HISTORY_REV;
const rounds = Number(process.env.SPILLWAY_BENCH_HISTORY_ROUNDS ?? 1);
const bin = join(root, 'dist', 'cli', 'bin.js');
if (!existsSync(bin)) {
  console.error('dist/cli/bin.js is missing: run `npm run build` first');
  process.exit(2);
}
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const work = mkdtempSync(join(tmpdir(), 'spillway-history-large-'));
const load = () => loadavg()[0].toFixed(1);

/** One run under /usr/bin/time: wall and CPU seconds (children included), peak RSS in MB. */
function timed(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], { env: gitEnv, stdio: [opts.stdin ?? 'ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const [rssKb, user, sys] = res.stderr.toString().trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu: user + sys, rssMb: rssKb / 1024, status: res.status, stderr: res.stderr.toString() };
}
const git = (...args) => spawnSync('git', ['-C', repo, ...args], { env: gitEnv, encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
const median = (runs, key) => [...runs].sort((a, b) => a[key] - b[key])[Math.floor(runs.length / 2)][key];
const show = (name, runs) =>
  console.log(`${name.padEnd(44)} ${median(runs, 'seconds').toFixed(1)} s wall, ${median(runs, 'cpu').toFixed(1)} s CPU, peak RSS ${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB (load ${load()})`);

// The floor: the blobs spillway reads, listed beforehand in pack order, read once by one cat-file.
const reachable = new Set(git('rev-list', '--objects', '--filter=object:type=blob', ...(rev ? [rev] : ['--all'])).split('\n').map((l) => l.split(' ')[0]).filter(Boolean));
const inPackOrder = git('cat-file', '--batch-all-objects', '--batch-check=%(objectname)', '--unordered').split('\n').filter((oid) => reachable.has(oid));
const list = join(work, 'blobs.txt');
writeFileSync(list, inPackOrder.join('\n') + '\n');
console.log(`history-large: ${repo}${rev ? ` at ${rev}` : ''}: ${reachable.size} reachable blobs`);

const historyArgs = (entry) => [entry, 'history', ...(rev ? [rev] : []), '--repo', repo, '--no-cache', '--format', 'json', '--output', join(work, 'report.json')];
const results = { floor: [], threads1: [], threads: [], baseline: [] };
const baseline = process.env.SPILLWAY_BENCH_HISTORY_BASELINE;
for (let i = 0; i < rounds; i++) {
  results.floor.push(timed('sh', ['-c', `git -C '${repo}' cat-file --batch --buffer < '${list}' > /dev/null`]));
  results.threads.push(timed(process.execPath, historyArgs(bin)));
  results.threads1.push(timed(process.execPath, [...historyArgs(bin), '--threads', '1']));
  if (baseline) results.baseline.push(timed(process.execPath, historyArgs(baseline)));
}
for (const r of [...results.threads, ...results.threads1, ...results.baseline]) {
  if (r.status !== 0 && r.status !== 1) {
    console.error(`spillway history failed (exit ${r.status}):\n${r.stderr}`);
    process.exit(2);
  }
}
show('floor: cat-file --batch, pack order', results.floor);
show('spillway history (workers)', results.threads);
show('spillway history --threads 1', results.threads1);
if (baseline) show(`baseline ${baseline}`, results.baseline);
const ratio = (key) => (median(results.threads, key) / median(results.floor, key)).toFixed(1);
console.log(`ratio to the floor: ${ratio('seconds')} wall, ${ratio('cpu')} CPU (issue 16: at most 4, aiming for 2)`);
rmSync(work, { recursive: true, force: true });
