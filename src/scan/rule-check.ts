// The rule check: each rule must find every one of its examples and none of its counterexamples.
import { createDetector } from '../detect/detector.js';
import { chunksForFile } from '../sources/file-chunks.js';
import type { AllowlistSpec, RuleExample, RuleSpec } from '../types.js';

/** One way a rule fails (or lacks) its own proof. Names the example by index and path, never by its text. */
export interface RuleCheckFailure {
  ruleId: string;
  /** The file the rule came from, when known. */
  source?: string;
  kind: 'example-missed' | 'counterexample-found' | 'no-examples' | 'no-counterexamples';
  /** A missed example or a found counterexample is an error; a rule without either list is a warning. */
  level: 'error' | 'warning';
  /** Index in the rule's `examples` or `counterexamples` list. */
  index?: number;
  path?: string;
  message: string;
}

export interface RuleCheckOptions {
  /** Check only these rule ids (the others still take part in matching, as in a scan). Default: all. */
  only?: ReadonlySet<string>;
}

const CHECK_KEY = Buffer.alloc(32, 7);

/**
 * Runs every rule's examples and counterexamples through the same chunking and detector a scan uses. NOTE: without
 * the learned models: examples prove a rule's patterns and allowlists; the weak floor (which drops some weak
 * candidates, e.g. in tests or docs) is a judgement on real data, checked by its own test.
 */
export function checkRules(config: { rules: RuleSpec[]; allowlists: AllowlistSpec[] }, opts: RuleCheckOptions = {}): RuleCheckFailure[] {
  const { detector } = createDetector({ rules: config.rules, allowlists: config.allowlists }, { fingerprintKey: CHECK_KEY });
  const finds = (rule: RuleSpec, example: RuleExample): boolean =>
    chunksForFile(example.path ?? 'example.txt', example.text).chunks.some((c) => detector.detect(c).some((f) => f.ruleId === rule.id));
  const failures: RuleCheckFailure[] = [];
  for (const rule of config.rules) {
    if (opts.only && !opts.only.has(rule.id)) continue;
    const base = { ruleId: rule.id, ...(rule.source !== undefined ? { source: rule.source } : {}) };
    if (rule.examples.length === 0) failures.push({ ...base, kind: 'no-examples', level: 'warning', message: `${rule.id}: has no examples` });
    if (rule.counterexamples.length === 0) failures.push({ ...base, kind: 'no-counterexamples', level: 'warning', message: `${rule.id}: has no counterexamples` });
    rule.examples.forEach((example, index) => {
      if (finds(rule, example)) return;
      const path = example.path ?? 'example.txt';
      failures.push({ ...base, kind: 'example-missed', level: 'error', index, path, message: `${rule.id}: example #${index} (path ${path}) is not found` });
    });
    rule.counterexamples.forEach((example, index) => {
      if (!finds(rule, example)) return;
      const path = example.path ?? 'example.txt';
      failures.push({ ...base, kind: 'counterexample-found', level: 'error', index, path, message: `${rule.id}: counterexample #${index} (path ${path}) is found` });
    });
  }
  return failures;
}
