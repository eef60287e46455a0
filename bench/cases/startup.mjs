// Start-up benchmark: what a small command costs besides Node itself. `--version`, a scan of one 4-byte
// file, and a scan of a generated 250-file monorepo (CPU), each against bare `node -e 0`, median of N runs.
// Usage: npm run build && node bench/cases/startup.mjs [--runs N]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runInterleaved, timeRun } from '../lib/measure.mjs';
import { ensureMonorepo } from '../lib/monorepo.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runsIndex = process.argv.indexOf('--runs');
const RUNS = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 9;
const bin = join(root, 'dist', 'cli', 'bin.js');
const work = join(root, 'bench', '.work');

if (!existsSync(bin)) {
  console.error('dist/cli/bin.js is missing: run `npm run build` first');
  process.exit(2);
}
mkdirSync(join(work, 'one-file'), { recursive: true });
const oneFile = join(work, 'one-file', 'four.txt');
writeFileSync(oneFile, 'abcd');
const mono = ensureMonorepo(join(work, 'monorepo-250'), { files: 250 });

const time = (args, cwd) => timeRun(process.execPath, args, { cwd, env: { ...process.env, SPILLWAY_FINGERPRINT_KEY: 'bench' } });

const cases = [
  { name: 'node -e 0', args: ['-e', '0'], cwd: root },
  { name: 'spillway --version', args: [bin, '--version'], cwd: root },
  { name: 'scan one 4-byte file', args: [bin, 'scan', oneFile, '--no-git'], cwd: root },
  { name: `scan ${mono.files}-file monorepo`, args: [bin, 'scan'], cwd: mono.repo, expect: 1 },
];
const results = runInterleaved(cases, RUNS, (c) => time(c.args, c.cwd));
const floor = median(results.get('node -e 0').ms);
console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, median of ${RUNS}`);
for (const c of cases) {
  const r = results.get(c.name);
  const ms = median(r.ms);
  console.log(`${c.name.padEnd(28)} ${ms.toFixed(0).padStart(5)} ms wall (${(ms / floor).toFixed(2)}x node), ${median(r.cpuMs).toFixed(0).padStart(5)} ms CPU, peak RSS ${r.rssMb.toFixed(0)} MB`);
}
const version = median(results.get('spillway --version').ms) / floor;
const monoCpu = median(results.get(`scan ${mono.files}-file monorepo`).cpuMs);
console.log(`target --version <= 1.6x node: ${version <= 1.6 ? 'met' : 'NOT met'} (${version.toFixed(2)}x)`);
console.log(`target ${mono.files}-file scan < 1 s CPU: ${monoCpu < 1000 ? 'met' : 'NOT met'} (${(monoCpu / 1000).toFixed(2)} s)`);
