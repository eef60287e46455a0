// The rule check (`spillway rules check`'s own code): every built-in rule finds each of its examples and none of its counterexamples.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import RE2 from 're2';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { parseRuleFile } from '../../src/config/parse-rules.js';
import { createDetector } from '../../src/detect/detector.js';
import { validators } from '../../src/detect/validators/index.js';
import { checkRules, type RuleCheckFailure } from '../../src/scan/rule-check.js';
import { chunksForFile } from '../../src/sources/file-chunks.js';
import type { Chunk, RuleExample, RuleSpec } from '../../src/types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const files = readdirSync(`${root}rules`).filter((f) => f.endsWith('.toml')).sort();
const parsed = files.map((f) => ({ file: f, ...parseRuleFile(readFileSync(`${root}rules/${f}`, 'utf8'), `rules/${f}`) }));
const rules: RuleSpec[] = parsed.flatMap((p) => p.rules);
const { detector, problems } = createDetector(
  { rules, allowlists: parsed.flatMap((p) => p.allowlists) },
  { fingerprintKey: Buffer.alloc(32, 7) },
);

/** An example as `spillway scan` sees it: through the format-aware file chunker, so place-bound rules apply. */
function chunks(example: RuleExample): Chunk[] {
  return chunksForFile(example.path ?? 'example.txt', example.text).chunks;
}

const checked = checkRules({ rules, allowlists: parsed.flatMap((p) => p.allowlists) });
/** The rule check's failures of one kind for one rule, named by index and path, never by their text. */
const failuresOf = (id: string, kind: RuleCheckFailure['kind']): string[] =>
  checked.filter((f) => f.ruleId === id && f.kind === kind).map((f) => `#${f.index} (path ${f.path})`);

describe('the catalogue', () => {
  test('every rule file parses without problems', () => {
    expect(parsed.flatMap((p) => p.problems.map((q) => `${p.file}: ${q.subject ?? ''} ${q.message}`))).toEqual([]);
  });

  test('the detector compiles every rule without problems', () => {
    expect(problems.map((q) => `${q.subject ?? ''} ${q.message}`)).toEqual([]);
  });

  test('rule ids are unique', () => {
    const seen = new Map<string, number>();
    for (const r of rules) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([id]) => id)).toEqual([]);
  });

  test('holds at least 120 rules', () => {
    expect(rules.length).toBeGreaterThanOrEqual(120);
  });

  test('loadConfig includes every built-in rule', async () => {
    const config = await loadConfig({ root });
    const loaded = new Set(config.rules.map((r) => r.id));
    expect(rules.map((r) => r.id).filter((id) => !loaded.has(id))).toEqual([]);
  });
});

describe.each(rules.map((rule) => ({ id: rule.id, rule })))('$id', ({ rule }) => {
  test('is well-formed', () => {
    expect(rule.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(rule.examples.length, 'examples').toBeGreaterThanOrEqual(1);
    expect(rule.counterexamples.length, 'counterexamples').toBeGreaterThanOrEqual(1);
    expect(rule.keywords.filter((k) => k !== k.toLowerCase()), 'keywords must be lowercase').toEqual([]);
    if (rule.regex !== undefined) expect(() => new RE2(rule.regex!, 'g')).not.toThrow();
    if (rule.validator !== undefined) expect(Object.keys(validators)).toContain(rule.validator);
    expect(rule.remediation ?? '', 'remediation').not.toBe('');
  });

  test('finds every example', () => {
    expect(failuresOf(rule.id, 'example-missed'), 'examples without a finding').toEqual([]);
  });

  test('finds no counterexample', () => {
    expect(failuresOf(rule.id, 'counterexample-found'), 'counterexamples with a finding').toEqual([]);
  });
});

describe('checksum validators on the catalogue', () => {
  test.each(['github-pat', 'github-oauth-token', 'npm-access-token', 'pypi-upload-token'])(
    '%s examples pass their checksum and count as checksum-valid',
    (id) => {
      const rule = rules.find((r) => r.id === id);
      expect(rule).toBeDefined();
      const findings = rule!.examples.flatMap((e) => chunks(e).flatMap((c) => detector.detect(c)).filter((f) => f.ruleId === id));
      expect(findings.length).toBeGreaterThanOrEqual(rule!.examples.length);
      expect(findings.map((f) => [f.validation, f.confidence])).toEqual(findings.map(() => ['checksum-valid', 'high']));
    },
  );
});

describe('multi-line private keys', () => {
  const keyRules = rules.filter((r) => r.id.startsWith('private-key-') && /BEGIN|PuTTY-User-Key-File/.test(r.examples[0]?.text ?? ''));

  test.each(keyRules.map((r) => ({ id: r.id, rule: r })))('$id: a whole key block is one finding spanning its lines', ({ rule }) => {
    const example = rule.examples[0]!;
    const text = `# deploy notes\n\n${example.text}`;
    const lines = text.split('\n');
    const first = lines.findIndex((l) => /BEGIN|PuTTY-User-Key-File/.test(l)) + 1;
    const last = lines.findIndex((l) => /END .*(KEY|BLOCK)|Private-MAC/.test(l)) + 1;
    const findings = detector.detect({ text, provenance: { kind: 'file', path: example.path ?? 'key.pem' } }).filter((f) => f.ruleId === rule.id);
    expect(findings.map((f) => [f.location.startLine, f.location.endLine])).toEqual([[first, last]]);
    expect(last - first).toBeGreaterThan(2);
  });

  test('covers the block formats', () => {
    expect(keyRules.length).toBeGreaterThanOrEqual(8);
  });
});
