// Benchmark: working-tree scan of a >= 200 MB synthetic tree, one thread vs all, and against ripgrep when installed.
// Env: BENCH_MB (tree size, default 200), BENCH_CONFIG (a rule file to load on top of the catalogue).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureTree } from '../lib/synthetic-tree.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dist = (rel) => pathToFileURL(join(ROOT, 'dist', rel)).href;

if (process.argv[2] === '--child') await child(Number(process.argv[3]), process.argv[4]);
else await main();

/** One measured scan in a fresh process: prints its figures as JSON. */
async function child(threads, tree) {
  const { loadConfig } = await import(dist('config/load.js'));
  const { scanFiles } = await import(dist('scan/files.js'));
  const config = await loadConfig({ root: tree, ...(process.env.BENCH_CONFIG ? { configPath: process.env.BENCH_CONFIG } : {}) });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await scanFiles({ root: tree, noGit: true, threads, config, fingerprintKey: Buffer.from('bench') });
  const byRule = {};
  for (const f of res.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ ...res.stats, ms, cpuMs: (cpu.user + cpu.system) / 1000, findings: res.findings.length, byRule, notes: res.notes.length, maxRssKb: process.resourceUsage().maxRSS }));
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'scan', 'files.js'))) {
    console.log('dist/ is missing: run `npm run build` (or `npm run bench`, which builds first)');
    process.exitCode = 1;
    return;
  }
  const mb = Number(process.env.BENCH_MB ?? 200);
  const t0 = performance.now();
  const tree = ensureTree(join(ROOT, 'bench', '.work', `files-${mb}mb`), { mb });
  console.log(
    `tree: ${tree.files} files, ${(tree.bytes / 1e6).toFixed(1)} MB, ${Object.values(tree.secrets).reduce((a, b) => a + b, 0)} planted secrets ` +
      `(${tree.reused ? 'reused' : `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`}) at ${tree.tree}`,
  );
  console.log(`planted: ${JSON.stringify(tree.secrets)}`);
  warmCache(tree.tree);

  const cores = availableParallelism();
  const runs = [];
  for (const threads of [...new Set([1, cores])]) {
    const t = performance.now();
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(threads), tree.tree], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const wall = performance.now() - t;
    const r = JSON.parse(out.trim().split('\n').at(-1));
    runs.push({ threads, wall, ...r });
    console.log(
      `spillway, ${threads} thread${threads === 1 ? ' ' : 's'}: ${(wall / 1000).toFixed(2)} s wall (scan ${(r.ms / 1000).toFixed(2)} s), ` +
        `${(r.bytes / 1e6 / (wall / 1000)).toFixed(1)} MB/s, ${Math.round(r.files / (wall / 1000))} files/s, ` +
        `peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB, ${r.findings} findings, ${r.notes} notes, ` +
        `CPU ${(r.cpuMs / 1000).toFixed(1)} s (${(r.cpuMs / r.ms).toFixed(2)} cores busy)`,
    );
  }
  const best = runs.at(-1);
  console.log(`findings by rule (${best.threads} threads): ${JSON.stringify(best.byRule)}`);
  cliRun(tree);
  const mbps = best.bytes / 1e6 / (best.wall / 1000);
  console.log(`target >= 40 MB/s on ${cores} cores: ${mbps >= 40 ? 'met' : 'NOT met'} (${mbps.toFixed(1)} MB/s)`);
  await slowestRules(tree.tree);
  await ripgrep(tree.tree, best.wall);
}

/** Reads every file once so that no measured run pays for a cold page cache. */
function warmCache(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) readFileSync(join(e.parentPath ?? e.path, e.name));
  }
}

/** The CLI as users run it, when dist/ has it: wall time and peak RSS (via /usr/bin/time when present). */
function cliRun(tree) {
  const bin = join(ROOT, 'dist', 'cli', 'bin.js');
  if (!existsSync(bin)) {
    console.log('cli: dist/cli/bin.js not built; skipped');
    return;
  }
  const config = process.env.BENCH_CONFIG ? ['--config', process.env.BENCH_CONFIG] : [];
  const args = [bin, 'scan', tree.tree, '--no-git', '--format', 'json', '--output', '/dev/null', ...config];
  const timed = existsSync('/usr/bin/time');
  const t = performance.now();
  const res = timed
    ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = performance.now() - t;
  if (res.status !== 0 && res.status !== 1) {
    console.log(`cli: exited with ${res.status}; skipped (${(res.stderr ?? '').trim().split('\n')[0]})`);
    return;
  }
  const rss = timed ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr)?.[1] ?? NaN) / 1024 : NaN;
  console.log(
    `cli (spillway scan --no-git --format json, all threads): ${(wall / 1000).toFixed(2)} s, ${(tree.bytes / 1e6 / (wall / 1000)).toFixed(1)} MB/s` +
      (timed ? `, peak RSS ${rss.toFixed(0)} MB` : ''),
  );
}

/** Where the matching time goes: each rule's regex alone over a ~10 MB sample (files holding a keyword of it). */
async function slowestRules(tree) {
  const { loadConfig } = await import(dist('config/load.js'));
  const { createRequire } = await import('node:module');
  const RE2 = createRequire(join(ROOT, 'package.json'))('re2');
  const config = await loadConfig({ root: tree, ...(process.env.BENCH_CONFIG ? { configPath: process.env.BENCH_CONFIG } : {}) });
  const sample = [];
  let size = 0;
  for (const e of readdirSync(tree, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || size > 10e6) continue;
    const buf = readFileSync(join(e.parentPath ?? e.path, e.name));
    sample.push({ buf, lower: buf.toString('latin1').toLowerCase() });
    size += buf.length;
  }
  const costs = [];
  for (const rule of config.rules) {
    if (!rule.regex) continue;
    const re = new RE2(rule.regex, 'gd');
    const t = performance.now();
    for (const { buf, lower } of sample) {
      if (rule.keywords.length > 0 && !rule.keywords.some((k) => lower.includes(k))) continue;
      re.lastIndex = 0;
      for (let n = 0; n < 1000 && re.exec(buf); n++);
    }
    costs.push({ id: rule.id, ms: performance.now() - t });
  }
  costs.sort((a, b) => b.ms - a.ms);
  const total = costs.reduce((a, c) => a + c.ms, 0);
  console.log(
    `slowest rules alone over a ${(size / 1e6).toFixed(1)} MB sample (all rules: ${(total / 1000).toFixed(2)} s): ` +
      costs.slice(0, 5).map((c) => `${c.id} ${(c.ms / 1000).toFixed(2)} s`).join(', '),
  );
}

/** ripgrep over the same tree with an alternation of the same rule regexes; skipped when rg is absent. */
async function ripgrep(tree, oursMs) {
  if (spawnSync('rg', ['--version']).status !== 0) {
    console.log('ripgrep: not installed; comparison skipped (apt-get install ripgrep to run it)');
    return;
  }
  const { loadConfig } = await import(dist('config/load.js'));
  const config = await loadConfig({ root: tree, ...(process.env.BENCH_CONFIG ? { configPath: process.env.BENCH_CONFIG } : {}) });
  const regexes = config.rules.map((r) => r.regex).filter(Boolean);
  const accepted = regexes.filter((re) => spawnSync('rg', ['--quiet', '-e', re, '--', '/dev/null']).status === 1);
  console.log(`ripgrep: ${accepted.length} of ${regexes.length} rule regexes (${regexes.length - accepted.length} dropped: rg rejects them)`);
  if (accepted.length === 0) return;
  // The alternation of a whole catalogue is far over rg's default 100 MB compiled-regex budget.
  const limits = ['--regex-size-limit', '2G', '--dfa-size-limit', '2G'];
  const args = ['--no-ignore', '--hidden', '--count', ...limits, ...accepted.flatMap((re) => ['-e', re]), '--', tree];
  // A big alternation can push rg's regex engine onto its slow paths: give up at 5x our time (and say so).
  const timeout = Math.round(Math.max(30_000, oursMs * 5));
  const t = performance.now();
  const res = spawnSync('rg', args, { maxBuffer: 1 << 28, timeout, killSignal: 'SIGKILL' });
  const wall = performance.now() - t;
  if (res.error?.code === 'ETIMEDOUT' || res.signal) {
    console.log(`ripgrep: did not finish within ${(timeout / 1000).toFixed(0)} s; ratio spillway/ripgrep < ${(oursMs / wall).toFixed(2)} (target <= 4: met)`);
    return;
  }
  if (res.status !== 0 && res.status !== 1) {
    console.log(`ripgrep: failed (exit ${res.status}): ${res.stderr.toString().trim().slice(0, 300)}`);
    return;
  }
  const lines = res.stdout.toString().split('\n').filter(Boolean).length;
  const bytes = dirBytes(tree);
  console.log(`ripgrep: ${(wall / 1000).toFixed(2)} s, ${(bytes / 1e6 / (wall / 1000)).toFixed(1)} MB/s, ${lines} files with a match`);
  const ratio = oursMs / wall;
  console.log(`ratio spillway/ripgrep: ${ratio.toFixed(2)} (target <= 4: ${ratio <= 4 ? 'met' : 'NOT met'})`);
}

function dirBytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += statSync(join(e.parentPath ?? e.path, e.name)).size;
  }
  return n;
}
