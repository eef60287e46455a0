// Compiles rule specs into matchers: the rule's RE2, its path and place filters, allowlists and validator.
import type { AllowlistSpec, ConfigProblem, RuleSpec } from '../types.js';
import type RE2 from 're2';
import { compileAllowlist, type CompiledAllowlist } from './allowlist.js';
import { re2 } from './re2-cache.js';
import { validators, type Validator } from './validators/index.js';

export interface CompiledRule {
  spec: RuleSpec;
  /**
   * Global, with indices ('gd'): only offsets are used, so matching on a Buffer works too. Compiled on first
   * use (when a chunk first holds one of the rule's keywords): a small scan needs a handful of the catalogue's
   * regexes, and every worker thread compiles its own. Absent for a path-only rule.
   */
  readonly regex?: RE2;
  path?: RE2;
  place?: RE2;
  allowlists: CompiledAllowlist[];
  validator?: Validator;
  generic: boolean;
}

/**
 * Compiles every rule that compiles; a rule that does not is left out with a problem naming it. The main
 * regex is compiled when first used; parseRuleFile has checked it (the catalogue's test checks built-ins).
 */
export function compileRules(specs: RuleSpec[]): { rules: CompiledRule[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const rules: CompiledRule[] = [];
  for (const spec of specs) {
    try {
      const validator = spec.validator === undefined ? undefined : validators[spec.validator];
      if (spec.validator !== undefined && !validator) {
        problems.push({ level: 'warning', subject: spec.id, message: `${spec.id}: unknown validator '${spec.validator}' is ignored` });
      }
      const rule: CompiledRule = {
        spec,
        ...(spec.path !== undefined ? { path: re2(spec.path) } : {}),
        ...(spec.place !== undefined ? { place: re2(spec.place) } : {}),
        allowlists: spec.allowlists.map(compileAllowlist),
        ...(validator ? { validator } : {}),
        generic: spec.tags.includes('generic'),
      };
      if (spec.regex !== undefined) defineLazyRegex(rule, spec.id, spec.regex);
      rules.push(rule);
    } catch (err) {
      problems.push({ level: 'error', subject: spec.id, message: `${spec.id}: cannot compile (${(err as Error).message})` });
    }
  }
  return { rules, problems };
}

function defineLazyRegex(rule: CompiledRule, id: string, pattern: string): void {
  let compiled: RE2 | undefined;
  Object.defineProperty(rule, 'regex', {
    enumerable: true,
    get(): RE2 {
      try {
        return (compiled ??= re2(pattern, 'gd'));
      } catch (err) {
        throw new Error(`rule ${id}: regex cannot compile (${(err as Error).message})`);
      }
    },
  });
}

/** Compiles global allowlists. */
export function compileAllowlists(specs: AllowlistSpec[]): CompiledAllowlist[] {
  return specs.map(compileAllowlist);
}

/** Escapes a literal keyword for use inside an RE2 pattern. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
