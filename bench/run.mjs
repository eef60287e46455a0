// Runs every benchmark in bench/cases/ in turn, after building dist/ (the cases run the compiled code).
// BENCH_CASES=files,history runs only those; other arguments are passed on to every case.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cases = fileURLToPath(new URL('./cases/', import.meta.url));

console.log('building dist/ ...');
execFileSync(process.execPath, [`${root}scripts/build.mjs`], { cwd: root, stdio: 'inherit' });

let failed = 0;
const only = process.env.BENCH_CASES?.split(',').map((n) => n.trim().replace(/\.mjs$/, ''));
const names = readdirSync(cases)
  .filter((n) => n.endsWith('.mjs') && (!only || only.includes(n.replace(/\.mjs$/, ''))))
  .sort();
for (const name of names) {
  console.log(`\n== ${name}`);
  try {
    execFileSync(process.execPath, [`${cases}${name}`, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  } catch {
    failed++;
    console.log(`${name} failed`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
