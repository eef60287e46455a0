// Compiles rule specs into matchers: the rule's RE2, its path and place filters, allowlists and validator.
import RE2 from 're2';
import type { AllowlistSpec, ConfigProblem, RuleSpec } from '../types.js';
import { compileAllowlist, type CompiledAllowlist } from './allowlist.js';
import { validators, type Validator } from './validators/index.js';

export interface CompiledRule {
  spec: RuleSpec;
  /** Global, with indices ('gd'): only offsets are used, so matching on a Buffer works too. */
  regex?: RE2;
  path?: RE2;
  place?: RE2;
  allowlists: CompiledAllowlist[];
  validator?: Validator;
  generic: boolean;
}

/** Compiles every rule that compiles; a rule that does not is left out with a problem naming it. */
export function compileRules(specs: RuleSpec[]): { rules: CompiledRule[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const rules: CompiledRule[] = [];
  for (const spec of specs) {
    try {
      const validator = spec.validator === undefined ? undefined : validators[spec.validator];
      if (spec.validator !== undefined && !validator) {
        problems.push({ level: 'warning', subject: spec.id, message: `${spec.id}: unknown validator '${spec.validator}' is ignored` });
      }
      rules.push({
        spec,
        ...(spec.regex !== undefined ? { regex: new RE2(spec.regex, 'gd') } : {}),
        ...(spec.path !== undefined ? { path: new RE2(spec.path) } : {}),
        ...(spec.place !== undefined ? { place: new RE2(spec.place) } : {}),
        allowlists: spec.allowlists.map(compileAllowlist),
        ...(validator ? { validator } : {}),
        generic: spec.tags.includes('generic'),
      });
    } catch (err) {
      problems.push({ level: 'error', subject: spec.id, message: `${spec.id}: cannot compile (${(err as Error).message})` });
    }
  }
  return { rules, problems };
}

/** Compiles global allowlists. */
export function compileAllowlists(specs: AllowlistSpec[]): CompiledAllowlist[] {
  return specs.map(compileAllowlist);
}

/** Escapes a literal keyword for use inside an RE2 pattern. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
