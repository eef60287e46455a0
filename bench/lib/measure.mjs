// Timing helpers shared by the benchmark cases: one child run under /usr/bin/time, interleaved repeats, medians.
import { spawnSync } from 'node:child_process';

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One run under /usr/bin/time: wall and CPU (user+sys, children included) in ms, peak RSS in MB. */
export function timeRun(cmd, args, { cwd, env = process.env } = {}) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], { cwd, env, encoding: 'utf8' });
  const [rssKb, user, sys] = res.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024, status: res.status, stderr: res.stderr };
}

/**
 * Runs every case `runs` times, interleaved so that a burst of load from elsewhere hits every case alike; a case
 * whose exit status is not its `expect` (default 0) stops the benchmark. Returns name -> { ms[], cpuMs[], rssMb }.
 */
export function runInterleaved(cases, runs, run) {
  const results = new Map(cases.map((c) => [c.name, { ms: [], cpuMs: [], rssMb: 0 }]));
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const r = run(c);
      if (r.status !== (c.expect ?? 0)) {
        console.error(`${c.name}: exited ${r.status}, expected ${c.expect ?? 0}:\n${r.stderr}`);
        process.exit(2);
      }
      const acc = results.get(c.name);
      acc.ms.push(r.ms);
      acc.cpuMs.push(r.cpuMs);
      acc.rssMb = Math.max(acc.rssMb, r.rssMb);
    }
  }
  return results;
}
