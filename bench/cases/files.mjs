// Benchmark: working-tree scan of a >= 200 MB synthetic tree, one thread vs all, and against ripgrep when installed;
// the CPU of `spillway scan` on the generated 250-file monorepo; and, when SPILLWAY_BENCH_TREE names a real tree
// (e.g. git/git's work tree), the whole CLI on it against ripgrep and gitleaks, median of BENCH_RUNS (default 3).
// "A comparable regex set" for ripgrep: every provider (non-generic) regex of the catalogue that rg accepts, with
// ASCII classes and word boundaries (`(?-u:...)`) as RE2 reads them, in one alternation; and its first 22, the size
// of the set the speed issue measured rg with. rg gets no keyword prefilter, no validation, no decoding.
// Env: BENCH_MB (tree size, default 200; 0 leaves the synthetic tree out), BENCH_CONFIG (a rule file to load on top of the catalogue),
// SPILLWAY_BENCH_TREE (a folder to scan with --no-git), SPILLWAY_BENCH_GITLEAKS (gitleaks binary; else PATH).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from '../lib/measure.mjs';
import { ensureMonorepo } from '../lib/monorepo.mjs';
import { ensureTree } from '../lib/synthetic-tree.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dist = (rel) => pathToFileURL(join(ROOT, 'dist', rel)).href;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// The CLI refuses to write its report to anything but a regular file (/dev/null included).
const REPORT = join(ROOT, 'bench', '.work', 'files-report.json');

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
  mkdirSync(dirname(REPORT), { recursive: true });
  const mb = Number(process.env.BENCH_MB ?? 200);
  if (mb > 0) await syntheticTree(mb);
  monorepoCpu();
  if (process.env.SPILLWAY_BENCH_TREE) await realTree(process.env.SPILLWAY_BENCH_TREE);
}

/** The synthetic tree of `mb` MB: in-process scans on one thread and all, the CLI, the slowest rules, ripgrep. */
async function syntheticTree(mb) {
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
  const args = [bin, 'scan', tree.tree, '--no-git', '--format', 'json', '--output', REPORT, ...config];
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

/** The regex sets ripgrep runs (see the top of this file), or undefined when rg is not installed. */
async function ripgrepSets() {
  if (spawnSync('rg', ['--version']).status !== 0) return undefined;
  const { loadConfig } = await import(dist('config/load.js'));
  const config = await loadConfig({ root: ROOT, ...(process.env.BENCH_CONFIG ? { configPath: process.env.BENCH_CONFIG } : {}) });
  const provider = config.rules.filter((r) => r.regex && !r.tags.includes('generic') && !r.id.includes('generic'));
  const accepted = provider.map((r) => `(?-u:${r.regex})`).filter((re) => spawnSync('rg', ['--quiet', '-e', re, '--', '/dev/null']).status === 1);
  return { rules: config.rules.length, provider: provider.length, sets: [{ name: 'every provider regex', regexes: accepted }, { name: 'first 22 of them', regexes: accepted.slice(0, 22) }] };
}

/** One rg run over `tree` with an alternation of `regexes`: wall and CPU in ms, or undefined past `timeout` ms. */
function ripgrepRun(regexes, tree, timeout) {
  // A whole catalogue's alternation is far over rg's default 100 MB compiled-regex budget.
  const args = ['--no-ignore', '--hidden', '--count', '--regex-size-limit', '2G', '--dfa-size-limit', '2G', ...regexes.flatMap((re) => ['-e', re]), '--', tree];
  const run = timed('rg', args, { timeout });
  if (run.timedOut) return undefined;
  if (run.status !== 0 && run.status !== 1) throw new Error(`rg failed (exit ${run.status}): ${run.stderr.trim().slice(0, 300)}`);
  return { ...run, files: run.stdout.split('\n').filter(Boolean).length };
}

/** ripgrep over the same tree with both regex sets; skipped when rg is absent. */
async function ripgrep(tree, oursMs) {
  const rg = await ripgrepSets();
  if (!rg) {
    console.log('ripgrep: not installed; comparison skipped (apt-get install ripgrep to run it)');
    return;
  }
  console.log(`ripgrep: ${rg.sets[0].regexes.length} of ${rg.provider} provider regexes (of ${rg.rules} rules), ASCII classes as RE2 reads them`);
  const bytes = dirBytes(tree);
  for (const set of rg.sets) {
    // A big alternation can push rg's regex engine onto its slow paths: give up at 5x our time (and say so).
    const timeout = Math.round(Math.max(30_000, oursMs * 5));
    const run = ripgrepRun(set.regexes, tree, timeout);
    if (!run) {
      console.log(`ripgrep, ${set.name}: did not finish within ${(timeout / 1000).toFixed(0)} s; ratio spillway/ripgrep < ${(oursMs / timeout).toFixed(2)}`);
      continue;
    }
    const ratio = oursMs / run.ms;
    console.log(
      `ripgrep, ${set.name} (${set.regexes.length}): ${(run.ms / 1000).toFixed(2)} s, ${(bytes / 1e6 / (run.ms / 1000)).toFixed(1)} MB/s, ${run.files} files with a match; ` +
        `ratio spillway/ripgrep ${ratio.toFixed(2)} (target <= 2: ${ratio <= 2 ? 'met' : 'NOT met'})`,
    );
  }
}

/** `spillway scan` in the generated 250-file monorepo, as a pre-push hook or CI job runs it: CPU, median of the runs. */
function monorepoCpu() {
  const bin = join(ROOT, 'dist', 'cli', 'bin.js');
  if (!existsSync('/usr/bin/time')) {
    console.log('monorepo: /usr/bin/time is missing; CPU not measured');
    return;
  }
  const mono = ensureMonorepo(join(ROOT, 'bench', '.work', 'monorepo-250'), { files: 250 });
  const runs = Array.from({ length: RUNS }, () => spillway([bin, 'scan', '--format', 'json', '--output', REPORT], { cwd: mono.repo }));
  const cpu = median(runs.map((r) => r.cpuMs));
  console.log(`${loadText()}, median of ${RUNS}`);
  console.log(
    `spillway scan, ${mono.files}-file monorepo: ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} s wall, ${(cpu / 1000).toFixed(2)} s CPU, ` +
      `peak RSS ${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB (target < 1 s CPU: ${cpu < 1000 ? 'met' : 'NOT met'})`,
  );
}

/** The whole CLI on a real tree (SPILLWAY_BENCH_TREE), then ripgrep and gitleaks on it, each the median of the runs. */
async function realTree(tree) {
  if (!existsSync(tree)) {
    console.log(`SPILLWAY_BENCH_TREE: ${tree} does not exist; skipped`);
    return;
  }
  const bin = join(ROOT, 'dist', 'cli', 'bin.js');
  const files = readdirSync(tree, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).length;
  console.log(`\nreal tree ${tree}: ${files} files, ${(dirBytes(tree) / 1e6).toFixed(1)} MB; ${loadText()}, median of ${RUNS}`);
  warmCache(tree);
  const line = (name, runs) =>
    `${name}: ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} s wall, ${(median(runs.map((r) => r.cpuMs)) / 1000).toFixed(2)} s CPU, peak RSS ${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB`;
  const ours = {};
  for (const threads of [1, availableParallelism()]) {
    const runs = Array.from({ length: RUNS }, () => spillway([bin, 'scan', tree, '--no-git', '--threads', String(threads), '--format', 'json', '--output', REPORT]));
    ours[threads] = median(runs.map((r) => r.ms));
    console.log(line(`spillway scan --no-git --threads ${threads}`, runs));
  }
  const oursMs = ours[availableParallelism()];
  const rg = await ripgrepSets();
  const timeout = Math.max(60_000, oursMs * 10);
  for (const set of rg?.sets ?? []) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const run = ripgrepRun(set.regexes, tree, timeout);
      if (run) runs.push(run);
    }
    if (runs.length === 0) console.log(`ripgrep, ${set.name} (${set.regexes.length}): did not finish within ${(timeout / 1000).toFixed(0)} s`);
    else console.log(`${line(`ripgrep, ${set.name} (${set.regexes.length})`, runs)}; spillway/ripgrep wall ${(oursMs / median(runs.map((r) => r.ms))).toFixed(2)} (target <= 2)`);
  }
  if (!rg) console.log('ripgrep: not installed; skipped');
  const gitleaks = gitleaksBin();
  if (!gitleaks) {
    console.log('gitleaks: not found (SPILLWAY_BENCH_GITLEAKS or PATH); skipped');
    return;
  }
  const runs = Array.from({ length: RUNS }, () => timed(gitleaks, ['detect', '--no-git', '--no-banner', '--log-level', 'error', '--source', tree, '--report-path', '/dev/null']));
  console.log(`${line(`gitleaks detect --no-git (${gitleaks})`, runs)}; spillway/gitleaks wall ${(oursMs / median(runs.map((r) => r.ms))).toFixed(2)}`);
}

/** gitleaks from SPILLWAY_BENCH_GITLEAKS, else from PATH, else undefined. */
function gitleaksBin() {
  const given = process.env.SPILLWAY_BENCH_GITLEAKS;
  if (given) return existsSync(given) ? given : undefined;
  return spawnSync('gitleaks', ['version']).status === 0 ? 'gitleaks' : undefined;
}

/** One timed CLI run; a run that fails (exit code other than 0 or 1) stops the benchmark, saying why. */
function spillway(args, opts) {
  const run = timed(process.execPath, args, opts);
  if (run.status !== 0 && run.status !== 1) throw new Error(`spillway ${args.slice(1).join(' ')}: exit ${run.status}: ${run.stderr.trim().split('\n')[0]}`);
  return run;
}

/**
 * Runs `cmd` under /usr/bin/time when present: wall and CPU (user + sys) in ms, peak RSS in MB, and its output.
 * With `timeout` (ms), coreutils' timeout kills `cmd` itself past it (killing /usr/bin/time would leave it running).
 */
function timed(cmd, args, { cwd = ROOT, timeout } = {}) {
  const hasTime = existsSync('/usr/bin/time');
  const command = timeout ? ['timeout', '--signal=KILL', String(Math.ceil(timeout / 1000)), cmd, ...args] : [cmd, ...args];
  const t = performance.now();
  const res = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'TIME %M %U %S', ...command], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, SPILLWAY_FINGERPRINT_KEY: 'bench' } })
    : spawnSync(command[0], command.slice(1), { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, SPILLWAY_FINGERPRINT_KEY: 'bench' } });
  const ms = performance.now() - t;
  const stats = /TIME (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(res.stderr ?? '');
  return {
    ms,
    cpuMs: stats ? (Number(stats[2]) + Number(stats[3])) * 1000 : NaN,
    rssMb: stats ? Number(stats[1]) / 1024 : NaN,
    status: res.status,
    stdout: res.stdout ?? '',
    stderr: res.stderr ?? '',
    timedOut: Boolean(timeout) && res.status === 137,
  };
}


function loadText() {
  return `node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

function dirBytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += statSync(join(e.parentPath ?? e.path, e.name)).size;
  }
  return n;
}
