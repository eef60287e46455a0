// A real detector over a small rule set for the git tests (the built-in catalogue lives on other branches).
import { createDetector, type Detector } from '../../src/detect/detector.js';
import type { RuleSpec } from '../../src/types.js';

/** The fingerprint key of the test detector. */
export const TEST_KEY = Buffer.from('spillway-git-test-key');

function rule(id: string, regex: string, keyword: string): RuleSpec {
  return {
    id,
    description: `test rule ${id}`,
    regex,
    keywords: [keyword],
    allowlists: [],
    tags: ['test'],
    severity: 'high',
    confidence: 'high',
    examples: [],
    counterexamples: [],
    remediation: 'Rotate it.',
  };
}

/** Tokens the test rule matches: `tkn_` and 24 characters derived from `seed` (built at run time, never a real secret). */
export function fakeToken(seed: string): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyz23456789';
  let h = 2166136261;
  let out = '';
  for (let i = 0; i < 24; i++) {
    h = Math.imul(h ^ (seed.charCodeAt(i % seed.length) + i), 16777619) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return 'tkn_' + out;
}

/** The rules of the test detector: `test-token`; `extra` adds `test-other`. */
export function testRules(extra = false): RuleSpec[] {
  const rules = [rule('test-token', '\\b(tkn_[a-z0-9]{24})\\b', 'tkn_')];
  if (extra) rules.push(rule('test-other', '\\b(oth_[a-z0-9]{24})\\b', 'oth_'));
  return rules;
}

/** A detector with the `test-token` rule; `extra` adds a rule (a different rule set, hence another version). */
export function testDetector(extra = false): Detector {
  const { detector, problems } = createDetector({ rules: testRules(extra), allowlists: [] }, { fingerprintKey: TEST_KEY });
  if (problems.some((p) => p.level === 'error')) throw new Error(problems.map((p) => p.message).join('\n'));
  return detector;
}
