// Soak benchmark: a 2 GB generated tree and a 50,000-commit generated history, scanned by the CLI while its
// RSS is sampled every second; prints throughput and peak RSS over time, and checks that a multi-threaded
// scan finds exactly what a single-threaded one finds (same fingerprint set). Never run by tests.
// Env: SOAK_MB (tree size, default 2048), SOAK_COMMITS (default 50000), SOAK_HISTORY_MB (blob content, default 500),
// SOAK_PARTS (`tree`, `history` or both, the default: `tree,history`).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHistory } from '../lib/history-repo.mjs';
import { ensureTree } from '../lib/synthetic-tree.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist', 'cli', 'bin.js');
const MB = Number(process.env.SOAK_MB ?? 2048);
const COMMITS = Number(process.env.SOAK_COMMITS ?? 50_000);
const HISTORY_MB = Number(process.env.SOAK_HISTORY_MB ?? 500);
const PARTS = (process.env.SOAK_PARTS ?? 'tree,history').split(',').map((p) => p.trim());
const WORK = join(ROOT, 'bench', '.work');
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', SPILLWAY_FINGERPRINT_KEY: 'soak' };

/** The kB figure of one field of /proc/<pid>/status or /proc/<pid>/io, or undefined once the process is gone. */
function procField(pid, file, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the CLI with `args`, sampling VmRSS and bytes read (rchar) every second. Prints one line per
 * `every` seconds and a summary; returns the report's fingerprint set and figures.
 */
async function soak(label, args, inputBytes, every = 10) {
  const report = join(WORK, `soak-${label.replace(/\W+/g, '-')}.json`);
  const child = spawn(process.execPath, [BIN, ...args, '--format', 'json', '--output', report], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const started = performance.now();
  const samples = [];
  const timer = setInterval(() => {
    const rssKb = procField(child.pid, 'status', 'VmRSS');
    const rchar = procField(child.pid, 'io', 'rchar');
    if (rssKb === undefined) return;
    const t = (performance.now() - started) / 1000;
    samples.push({ t, rssKb, rchar: rchar ?? 0 });
    if (samples.length % every === 0) {
      const prev = samples[samples.length - every] ?? { t: 0, rchar: 0 };
      const rate = (samples.at(-1).rchar - prev.rchar) / 1e6 / (t - prev.t);
      console.log(`  ${label} t=${t.toFixed(0)} s: RSS ${(rssKb / 1024).toFixed(0)} MB, read ${(samples.at(-1).rchar / 1e6).toFixed(0)} MB, ${rate.toFixed(1)} MB/s over the last ${every} s`);
    }
  }, 1000);
  const code = await new Promise((r) => child.on('close', r));
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0 && code !== 1) throw new Error(`${label}: spillway exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const findings = JSON.parse(readFileSync(report, 'utf8')).findings ?? [];
  const peak = Math.max(...samples.map((s) => s.rssKb)) / 1024;
  const half = Math.floor(samples.length / 2);
  const peakFirst = Math.max(0, ...samples.slice(0, half).map((s) => s.rssKb)) / 1024;
  const peakSecond = Math.max(0, ...samples.slice(half).map((s) => s.rssKb)) / 1024;
  console.log(
    `${label}: ${seconds.toFixed(1)} s, ${(inputBytes / 1e6 / seconds).toFixed(1)} MB/s, ${findings.length} findings, ` +
      `peak RSS ${peak.toFixed(0)} MB (first half ${peakFirst.toFixed(0)} MB, second half ${peakSecond.toFixed(0)} MB), ${samples.length} samples`,
  );
  return { fingerprints: new Set(findings.map((f) => f.fingerprint)), seconds, peak };
}

function sameSet(a, b) {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** The tree: scanned with every core, then with one thread; the two must find the same. */
async function soakTree() {
  const t0 = performance.now();
  const tree = ensureTree(join(WORK, `files-${MB}mb`), { mb: MB });
  console.log(`tree: ${tree.files} files, ${(tree.bytes / 1e6).toFixed(0)} MB (${tree.reused ? 'reused' : `generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`})`);
  const multi = await soak(`tree ${MB} MB, ${cores} threads`, ['scan', tree.tree, '--no-git', '--threads', String(cores)], tree.bytes);
  const single = await soak(`tree ${MB} MB, 1 thread`, ['scan', tree.tree, '--no-git', '--threads', '1'], tree.bytes);
  const treeSame = sameSet(multi.fingerprints, single.fingerprints);
  console.log(`tree: ${cores}-thread findings ${treeSame ? 'equal' : 'DIFFER FROM'} 1-thread findings (${multi.fingerprints.size} vs ${single.fingerprints.size} fingerprints)`);
  failed ||= !treeSame;
}

/** The history: generated once (kept under bench/.work/), audited twice without a cache; the runs must agree. */
async function soakHistory() {
  const t0 = performance.now();
  const repo = join(WORK, `soak-history-${COMMITS}c-${HISTORY_MB}mb`);
  const marker = join(repo, '.git', 'soak-complete');
  let historyBytes;
  if (existsSync(marker)) historyBytes = Number(readFileSync(marker, 'utf8'));
  else {
    historyBytes = await generateHistory(repo, { commits: COMMITS, megabytes: HISTORY_MB });
    writeFileSync(marker, String(historyBytes));
    console.log(`history: ${COMMITS} commits, ${(historyBytes / 1e6).toFixed(0)} MB of blobs, generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const first = await soak(`history ${COMMITS} commits`, ['history', '--repo', repo, '--no-cache'], historyBytes);
  const second = await soak(`history ${COMMITS} commits, again`, ['history', '--repo', repo, '--no-cache'], historyBytes);
  const historySame = sameSet(first.fingerprints, second.fingerprints);
  console.log(`history: two runs ${historySame ? 'agree' : 'DISAGREE'} (${first.fingerprints.size} fingerprints; the history scan is single-threaded)`);
  failed ||= !historySame;
}

if (!existsSync(BIN)) {
  console.error('dist/cli/bin.js is missing: run `npm run build` first (npm run bench:soak does)');
  process.exit(2);
}
const cores = availableParallelism();
let failed = false;

if (PARTS.includes('tree')) await soakTree();
if (PARTS.includes('history')) await soakHistory();
process.exitCode = failed ? 1 : 0;
