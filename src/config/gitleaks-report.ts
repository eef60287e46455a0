// Reads a gitleaks JSON report (`gitleaks ... --report-format json`) as a baseline: where each finding was.
import { isAbsolute, relative } from 'node:path';
import type { IgnoreList } from '../detect/suppress.js';

type Location = IgnoreList['locations'][number];

/**
 * The locations (commit, file, rule, line) of a gitleaks report's findings, the parts gitleaks' own baseline
 * compares that spillway reports the same way; paths made relative to `root` when gitleaks wrote them absolute.
 * NOTE: a gitleaks report holds the secrets in clear unless made with --redact; only these fields are kept.
 */
export function gitleaksLocations(doc: unknown[], file: string, root: string): Location[] {
  return doc.map((raw, i): Location => {
    const f = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const { RuleID: ruleId, File: path, StartLine: line, Commit: commit } = f;
    if (typeof ruleId !== 'string' || typeof path !== 'string' || typeof line !== 'number') {
      throw new Error(`${file}: finding ${i} is not a gitleaks finding (it needs RuleID, File and StartLine)`);
    }
    const rel = (isAbsolute(path) ? relative(root, path) : path).replace(/^\.\//, '');
    // A path-only finding is line 0 in gitleaks, line 1 in spillway.
    return { ...(typeof commit === 'string' && commit !== '' ? { commit } : {}), path: rel, ruleId, line: Math.max(line, 1) };
  });
}
