// A generated history for the history-scan tests: many files edited over many commits, secrets added, kept and removed.
import { fakeToken } from './detector.js';
import type { TestRepo } from './repo.js';
import { seededRandom as random } from '../helpers/seeded-random.js';

/**
 * Commits `commits` rounds of edits to `files` files (lines changed, inserted and deleted; now and then a
 * token added, kept for a few versions, then removed; a binary file now and then). Returns how many
 * tokens were planted.
 */
export function generateHistory(repo: TestRepo, opts: { files: number; commits: number; seed?: number }): number {
  const rand = random(opts.seed ?? 1);
  const pick = (n: number): number => Math.floor(rand() * n);
  const texts: string[][] = Array.from({ length: opts.files }, (_, f) => Array.from({ length: 20 + pick(40) }, (_, i) => `line ${i} of file ${f}: value = ${pick(1e6)}`));
  let planted = 0;
  for (let c = 0; c < opts.commits; c++) {
    const changed: Record<string, string> = {};
    for (let f = 0; f < opts.files; f++) {
      if (c > 0 && rand() < 0.4) continue;
      const lines = texts[f]!;
      for (let e = 0; e < 1 + pick(3); e++) {
        const at = pick(lines.length + 1);
        const roll = rand();
        if (roll < 0.1) {
          lines.splice(at, 0, `token = "${fakeToken(`c${c}f${f}e${e}`)}"`);
          planted++;
        } else if (roll < 0.3 && lines.length > 5) lines.splice(at, 1);
        else if (roll < 0.6) lines.splice(at, 0, `added in ${c}: ${pick(1e6)}`);
        else if (at < lines.length) lines[at] = `changed in ${c}: ${pick(1e6)}`;
      }
      changed[`src/dir${f % 7}/file${f}.txt`] = lines.join('\n') + '\n';
    }
    if (c % 5 === 2) changed[`assets/blob${c}.bin`] = `\u0000\u0001binary ${c}\u0000`;
    repo.commit(`round ${c}`, changed);
  }
  return planted;
}
