// Spots a global allowlist that silences every finding: a config that passes every scan must not pass unnoticed.
import { re2 } from '../detect/re2-cache.js';
import type { AllowlistSpec, ConfigProblem } from '../types.js';

/** Paths and values of every shape: a pattern that matches all of them matches anything a scan could find. */
const PROBES = ['a', 'src/app.ts', '.env', 'deploy/k8s/secret.yaml', 'Z9', 'Q1w2E3r4T5y6U7i8O9p0', 'QWERTYUIOP234567', 'password = "hunter2"'];

function matchesAll(patterns: readonly string[]): string | undefined {
  for (const p of patterns) {
    let re;
    try {
      re = re2(p);
    } catch {
      continue;
    }
    if (PROBES.every((probe) => re.test(probe))) return p;
  }
  return undefined;
}

/** A warning for each global allowlist (for every rule) whose paths or regexes match anything. */
export function silencingAllowlists(allowlists: readonly AllowlistSpec[], file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const a of allowlists) {
    if (a.targetRules && a.targetRules.length > 0) continue;
    const path = matchesAll(a.paths);
    const regex = matchesAll(a.regexes);
    const stopword = a.stopwords.find((s) => s === '');
    const criteria = [a.paths, a.regexes, a.stopwords, a.commits].filter((c) => c.length > 0).length;
    const hits = [path !== undefined ? `paths '${path}'` : '', regex !== undefined ? `regexes '${regex}'` : '', stopword !== undefined ? "stopwords ''" : ''].filter(Boolean);
    const silences = a.condition === 'AND' ? hits.length > 0 && hits.length === criteria : hits.length > 0;
    if (!silences) continue;
    const name = a.description ? ` "${a.description}"` : '';
    problems.push({ level: 'warning', file, message: `${file}: allowlist${name}: ${hits.join(' and ')} matches anything: it silences every finding` });
  }
  return problems;
}
