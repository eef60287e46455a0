// `npm run bench:creddata [-- [options] [-- spillway scan options]]`: spillway on Samsung's CredData, line level.
// Materialises the labelled files of the repositories in train-repos.tsv at their pinned commits (from mirrors
// made with the search tool's `fetch`), scans them with dist/cli/bin.js --format json, and scores both views.
// Everything it writes holds or points at real leaked credentials: it stays under --data (default /tmp/creddata).
// Options: --data DIR, --repos FILE, --mirrors DIR, --label NAME, --materialise-only. After a lone `--`, the
// rest goes to `spillway scan` (e.g. `-- --min-confidence low`).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSnapshot, labelsCommit, readLabels, readRepoList } from './labels.mjs';
import { materialiseRepo, mirrorGitDir } from './materialise.mjs';
import { printSummary } from './summary.mjs';
import { buildTruth, byMinConfidence, findingLines, score } from './score.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const opts = parseArgs(process.argv.slice(2));
const data = resolve(opts.data);
if (!relative(root, data).startsWith('..')) fail(`--data ${data} is inside the repository: the corpus holds real credentials and must stay outside it (e.g. /tmp/creddata)`);
const labelsDir = mirrorGitDir(opts.mirrors, 'Samsung/CredData') ?? fail(`no CredData mirror under ${opts.mirrors}: fetch github:Samsung/CredData first`);
const repos = readRepoList(opts.repos);
for (const p of checkSnapshot(labelsDir, repos)) console.warn(`warning: ${p}`);

const reposDir = join(data, 'repos');
mkdirSync(reposDir, { recursive: true });
const labelled = [];
const unavailable = { repos: [], files: 0, tItems: 0 };
const started = Date.now();
for (const repo of repos) {
  const gitDir = mirrorGitDir(opts.mirrors, repo.name);
  const labels = readLabels(labelsDir, repo.id);
  if (!gitDir) {
    unavailable.repos.push(repo.name);
    console.warn(`warning: no mirror of ${repo.name} under ${opts.mirrors} (fetch github:${repo.name}); its labels are left out`);
    continue;
  }
  const state = materialiseRepo({ repo, gitDir, labels, reposDir, stateDir: join(data, 'state') });
  unavailable.files += state.missing.length;
  for (const row of labels) {
    const path = state.paths[row.fileId];
    if (path === undefined) {
      if (row.truth === 'T') unavailable.tItems++;
      continue;
    }
    labelled.push({ file: `${repo.id}/${path}`, repoId: repo.id, path, row });
  }
}
const fileCount = new Set(labelled.map((l) => l.file)).size;
console.log(`corpus: ${repos.length - unavailable.repos.length} repositories, ${fileCount} labelled files under ${reposDir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
if (unavailable.files > 0) console.log(`        ${unavailable.files} labelled files not in the mirrors (their ${unavailable.tItems} T rows are left out)`);
writeLabels(join(data, 'labels.jsonl'), labelled);
writeReady(data);
if (opts.materialiseOnly) process.exit(0);

const raw = join(data, `raw-${opts.label}.json`);
const scanArgs = [join(root, 'dist/cli/bin.js'), 'scan', reposDir, '--no-git', '--format', 'json', '--output', raw, ...opts.scanArgs];
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
const t0 = Date.now();
const run = spawnSync(process.execPath, scanArgs, { cwd: data, stdio: ['ignore', 'inherit', 'pipe'], maxBuffer: 1 << 28 });
const scanSeconds = (Date.now() - t0) / 1000;
if (run.status !== 0 && run.status !== 1) fail(`spillway scan exited ${run.status}: ${String(run.stderr).slice(0, 2000)}`);
const report = JSON.parse(readFileSync(raw, 'utf8'));
const findings = report.findings.map((f) => ({ file: f.path.split('\\').join('/'), startLine: f.startLine, ruleId: f.ruleId, confidence: f.confidence }));

const truth = buildTruth(labelled);
const lines = findingLines(findings);
const headline = score(truth, lines, { withUuid: false });
const all = score(truth, lines, { withUuid: true });
const summary = {
  label: opts.label,
  date: new Date().toISOString(),
  spillway: gitHead(root),
  labels: labelsCommit(labelsDir),
  scanArgs: opts.scanArgs,
  loadAverage: load,
  scanSeconds,
  corpus: { repositories: repos.length - unavailable.repos.length, files: fileCount, unavailable },
  findings: findings.length,
  findingLines: lines.length,
  notes: countNotes(report.notes),
  headline: strip(headline),
  withUuid: strip(all),
  byMinConfidence: { headline: byMinConfidence(truth, lines, { withUuid: false }), withUuid: byMinConfidence(truth, lines, { withUuid: true }) },
};
writeFileSync(join(data, `report-${opts.label}.json`), `${JSON.stringify(summary, null, 1)}\n`);
writeTsv(join(data, 'misses.tsv'), ['repo-id', 'path', 'line', 'line_end', 'category'], all.misses.map((m) => [...split(m.file), m.lineStart, m.lineEnd, m.categories.join(':')]));
writeTsv(join(data, 'false-positives.tsv'), ['repo-id', 'path', 'line', 'rules', 'category'], all.fpLines.map((l) => [...split(l.file), l.line, [...l.rules].join(','), l.categories.join(':')]));
printSummary(summary, console.log);
console.log(`\nreport: ${join(data, `report-${opts.label}.json`)}; misses: ${join(data, 'misses.tsv')}; false positives: ${join(data, 'false-positives.tsv')}`);

function strip(s) {
  return { total: s.total, byCategory: s.byCategory, byFileType: s.byFileType, byRule: s.byRule };
}

function split(file) {
  const i = file.indexOf('/');
  return [file.slice(0, i), file.slice(i + 1)];
}

function writeTsv(file, header, rows) {
  writeFileSync(file, [header, ...rows].map((r) => r.join('\t')).join('\n') + '\n');
}

/** One JSON object a line for every label row of a materialised file: offsets and labels, never values. */
function writeLabels(file, rows) {
  const out = rows.map(({ repoId, path, row }) =>
    JSON.stringify({ repoId, path, id: row.id, lineStart: row.lineStart, lineEnd: row.lineEnd, truth: row.truth, valueStart: row.valueStart, valueEnd: row.valueEnd, categories: row.categories }),
  );
  writeFileSync(file, out.join('\n') + '\n');
}

function writeReady(dir) {
  writeFileSync(
    join(dir, 'READY'),
    [
      `CredData corpus materialised ${new Date().toISOString()} by ${join(root, 'bench/creddata/run.mjs')}.`,
      `Files: ${dir}/repos/<repo-id>/<original path> (real credentials: never copy them out of /tmp).`,
      `Labels: ${dir}/labels.jsonl, one row a line: repoId, path (relative to repos/<repo-id>), lineStart, lineEnd (1-based,`,
      `  lines split on \\r\\n, \\r and \\n), truth (T/F/X), valueStart/valueEnd (0-based columns in lineStart), categories.`,
      `Run the bench from a worktree with the bench in it:  npm run bench:creddata [-- --label NAME [-- <spillway scan options>]]`,
      `  e.g. npm run bench:creddata -- --label low -- --min-confidence low`,
      `  writes ${dir}/report-<label>.json, misses.tsv and false-positives.tsv (no values).`,
      `Scoring modules: bench/creddata/score.mjs (buildTruth, findingLines, score).`,
      '',
    ].join('\n'),
  );
}

function countNotes(notes = []) {
  const counts = {};
  for (const n of notes) {
    const key = `${n.level}: ${String(n.message).replace(/[0-9.]+ ?[KMG]?i?B/g, 'N').slice(0, 60)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function gitHead(dir) {
  try {
    const head = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

function parseArgs(argv) {
  const o = { data: '/tmp/creddata', repos: '/work/shared/creddata/train-repos.tsv', mirrors: '/work/.mirror', label: undefined, materialiseOnly: false, scanArgs: [] };
  const cut = argv.indexOf('--');
  const own = cut < 0 ? argv : argv.slice(0, cut);
  o.scanArgs = cut < 0 ? [] : argv.slice(cut + 1);
  for (let i = 0; i < own.length; i++) {
    const a = own[i];
    const value = () => own[++i] ?? fail(`${a} needs a value`);
    if (a === '--data') o.data = value();
    else if (a === '--repos') o.repos = value();
    else if (a === '--mirrors') o.mirrors = value();
    else if (a === '--label') o.label = value();
    else if (a === '--materialise-only') o.materialiseOnly = true;
    else fail(`unknown option ${a} (spillway scan options go after a lone --)`);
  }
  o.label ??= o.scanArgs.length === 0 ? 'default' : o.scanArgs.join('').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  if (!/^[A-Za-z0-9._-]+$/.test(o.label)) fail(`--label ${o.label}: use letters, digits, '.', '_' and '-'`);
  return o;
}

function fail(message) {
  console.error(`bench:creddata: ${message}`);
  process.exit(2);
}
