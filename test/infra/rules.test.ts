// Every infrastructure rule proves itself: each example, split by the format-aware file chunker, yields the rule;
// no counterexample does.
import { describe, expect, it } from 'vitest';
import { chunksForFile } from '../../src/sources/file-chunks.js';
import { builtinDetector } from '../helpers/detector.js';
import { loadConfig } from '../../src/config/load.js';

const FILES = ['rules/dockerfile.toml', 'rules/compose.toml', 'rules/kubernetes.toml'];

async function findingsOf(text: string, path: string) {
  const detector = await builtinDetector();
  return chunksForFile(path, text).chunks.flatMap((chunk) => detector.detect(chunk));
}

const config = await loadConfig({ root: '/nonexistent-spillway-root' });
const rules = config.rules.filter((rule) => rule.source !== undefined && FILES.includes(rule.source));

describe('infrastructure rules', () => {
  it('are all loaded without problems', () => {
    expect(config.problems.filter((p) => FILES.includes(p.file ?? ''))).toEqual([]);
    expect(rules.length).toBeGreaterThanOrEqual(12);
  });
  for (const rule of rules) {
    describe(rule.id, () => {
      it('has examples, counterexamples and a remediation', () => {
        expect(rule.examples.length).toBeGreaterThan(0);
        expect(rule.counterexamples.length).toBeGreaterThan(0);
        expect(rule.remediation).toBeTruthy();
        expect(rule.place).toBeTruthy();
      });
      rule.examples.forEach((example, i) => {
        it(`matches example ${i + 1}`, async () => {
          const found = await findingsOf(example.text, example.path ?? 'example.txt');
          expect(found.map((f) => f.ruleId)).toContain(rule.id);
        });
      });
      rule.counterexamples.forEach((example, i) => {
        it(`does not match counterexample ${i + 1}`, async () => {
          const found = await findingsOf(example.text, example.path ?? 'example.txt');
          expect(found.map((f) => f.ruleId)).not.toContain(rule.id);
        });
      });
    });
  }
});
