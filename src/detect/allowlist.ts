// Compiled allowlists (gitleaks semantics): a match is dropped when its allowlist's condition holds.
import type { AllowlistSpec } from '../types.js';
import { re2 } from './re2-cache.js';

/** What an allowlist is tested against. */
export interface AllowlistSubject {
  secret: string;
  match: string;
  line: string;
  path: string;
  commit?: string;
  /** The rule that matched: an allowlist with `targetRules` applies only to those. */
  ruleId: string;
}

export interface CompiledAllowlist {
  allows(subject: AllowlistSubject): boolean;
}

/** Compiles an allowlist; patterns were validated when the config was parsed. */
export function compileAllowlist(spec: AllowlistSpec): CompiledAllowlist {
  const regexes = spec.regexes.map((r) => re2(r));
  const paths = spec.paths.map((r) => re2(r));
  const commits = new Set(spec.commits);
  const targets = new Set(spec.targetRules ?? []);
  const checks: ((s: AllowlistSubject) => boolean)[] = [];
  if (regexes.length > 0) checks.push((s) => regexes.some((r) => r.test(s[spec.regexTarget])));
  if (paths.length > 0) checks.push((s) => paths.some((r) => r.test(s.path)));
  const stopwords = spec.stopwords.map((w) => w.toLowerCase());
  if (stopwords.length > 0) checks.push((s) => stopwords.some((w) => s.secret.toLowerCase().includes(w)));
  if (commits.size > 0) checks.push((s) => s.commit !== undefined && commits.has(s.commit));
  return {
    allows: (s) => (targets.size === 0 || targets.has(s.ruleId)) && checks.length > 0 && (spec.condition === 'AND' ? checks.every((c) => c(s)) : checks.some((c) => c(s))),
  };
}
