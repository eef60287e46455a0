// History benchmark: a generated repository (>= 5,000 commits, >= 200 MB of unique blobs); compares
// `spillway history` with the floor `git cat-file --batch-all-objects --batch > /dev/null`.
// Usage: npm run build && node bench/cases/history.mjs [--commits N] [--mb M] [--fresh]
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHistory } from '../lib/history-repo.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const COMMITS = opt('--commits', 5000);
const MEGABYTES = opt('--mb', 210);
const repo = join(root, 'bench', '.work', `history-${COMMITS}c-${MEGABYTES}mb`);
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

/** Runs a command under /usr/bin/time; returns wall seconds and peak RSS (MB) of the process. */
function timed(cmd, cmdArgs, stdout = 'ignore') {
  const t0 = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...cmdArgs], { env: gitEnv, stdio: ['ignore', stdout, 'pipe'], maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const stderr = res.stderr.toString();
  const [rssKb, user, sys] = stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, cpu: user + sys, rssMb: rssKb / 1024, status: res.status, stderr };
}

if (args.includes('--fresh') || !existsSync(join(repo, '.git'))) {
  const t0 = Date.now();
  const bytes = await generateHistory(repo, { commits: COMMITS, megabytes: MEGABYTES });
  console.log(`generated ${repo}: ${COMMITS} commits, ${(bytes / 1e6).toFixed(0)} MB of unique blob content in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const count = spawnSync('git', ['-C', repo, 'count-objects', '-v'], { env: gitEnv, encoding: 'utf8' }).stdout.replace(/\n/g, ' ');
console.log(`repository: ${count}`);

if (!existsSync(join(root, 'dist', 'cli', 'bin.js'))) {
  console.error('dist/cli/bin.js is missing: run `npm run build` first');
  process.exit(2);
}
// Warm the page cache once so both timings read from memory; then alternate the two, ROUNDS times, and take medians.
const ROUNDS = opt('--rounds', 3);
timed('git', ['-C', repo, 'cat-file', '--batch-all-objects', '--batch']);
const report = join(repo, '..', 'history-report.json');
const spillwayArgs = [join(root, 'dist', 'cli', 'bin.js'), 'history', '--repo', repo, '--format', 'json', '--output', report];
const floors = [];
const runs = [];
for (let i = 0; i < ROUNDS; i++) {
  floors.push(timed('git', ['-C', repo, 'cat-file', '--batch-all-objects', '--batch']));
  const run = timed(process.execPath, [...spillwayArgs, '--no-cache']);
  if (run.status !== 0 && run.status !== 1) {
    console.error(`spillway history failed (exit ${run.status}):\n${run.stderr}`);
    process.exit(2);
  }
  runs.push(run);
}
const median = (xs, key) => [...xs].sort((a, b) => a[key] - b[key])[Math.floor(xs.length / 2)][key];
const floor = { seconds: median(floors, 'seconds'), cpu: median(floors, 'cpu'), rssMb: Math.max(...floors.map((f) => f.rssMb)) };
const ours = { seconds: median(runs, 'seconds'), cpu: median(runs, 'cpu'), rssMb: Math.max(...runs.map((r) => r.rssMb)), status: runs[0].status };
rmSync(join(repo, '.git', 'spillway'), { recursive: true, force: true });
const again = timed(process.execPath, spillwayArgs);
const cached = timed(process.execPath, spillwayArgs);
console.log(`git cat-file --batch-all-objects --batch > /dev/null: ${floor.seconds.toFixed(2)} s wall (median of ${ROUNDS}), ${floor.cpu.toFixed(2)} s CPU (peak RSS ${floor.rssMb.toFixed(0)} MB)`);
console.log(`spillway history (no cache):                        ${ours.seconds.toFixed(2)} s wall (median of ${ROUNDS}), ${ours.cpu.toFixed(2)} s CPU (peak RSS ${ours.rssMb.toFixed(0)} MB, exit ${ours.status})`);
console.log(`ratio: ${(ours.seconds / floor.seconds).toFixed(2)} wall, ${(ours.cpu / floor.cpu).toFixed(2)} CPU (target <= 3)`);
console.log(`spillway history, filling the cache: ${again.seconds.toFixed(2)} s; re-audit from the cache: ${cached.seconds.toFixed(2)} s (peak RSS ${cached.rssMb.toFixed(0)} MB)`);
