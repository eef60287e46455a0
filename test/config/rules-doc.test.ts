// docs/rules.md is generated from the catalogue: this fails when it is out of date; UPDATE_DOCS=1 rewrites it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseRuleFile } from '../../src/config/parse-rules.js';
import { redactExample, renderRulesDoc } from '../../src/config/rules-doc.js';
import { createDetector } from '../../src/detect/detector.js';
import type { RuleSpec } from '../../src/types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docPath = `${root}docs/rules.md`;
const catalogue: RuleSpec[] = readdirSync(`${root}rules`)
  .filter((f) => f.endsWith('.toml'))
  .sort()
  .flatMap((f) => parseRuleFile(readFileSync(`${root}rules/${f}`, 'utf8'), `rules/${f}`).rules);

function rule(id: string, overrides: Partial<RuleSpec> = {}): RuleSpec {
  return {
    id,
    description: `The ${id} token`,
    regex: String.raw`\b(tok_[a-z0-9]{12})\b`,
    keywords: ['tok_'],
    allowlists: [],
    tags: ['test'],
    severity: 'high',
    confidence: 'medium',
    examples: [{ text: 'TOKEN=tok_' + 'q7w2e9r4t1y6' }],
    counterexamples: [{ text: 'TOKEN=tok_' }],
    remediation: 'Revoke it | then rotate.',
    ...overrides,
  };
}

describe('renderRulesDoc', () => {
  test('a contents table links every rule, then one section per rule, sorted by id', () => {
    const doc = renderRulesDoc([rule('zeta-token'), rule('alpha-token', { severity: 'low', validator: 'github-checksum' })]);
    expect(doc).toContain('| [alpha-token](#alpha-token) | low | The alpha-token token |');
    expect(doc.indexOf('## alpha-token')).toBeGreaterThan(doc.indexOf('## Contents'));
    expect(doc.indexOf('## alpha-token')).toBeLessThan(doc.indexOf('## zeta-token'));
    expect(doc).toContain('- Validator: `github-checksum`');
    expect(doc).toContain('**Remediation.** Revoke it | then rotate.');
    expect(doc).toContain('- Keywords: `tok_`');
  });

  test('examples are shown redacted', () => {
    const doc = renderRulesDoc([rule('alpha-token')]);
    expect(doc).not.toContain('q7w2e9r4t1y6');
    expect(doc).toContain('TOKEN=…(16 chars)');
  });

  test('redactExample hides what any rule finds, not only the documented rule', () => {
    const other = rule('other', { regex: String.raw`(key-[0-9]{10})`, keywords: ['key-'] });
    expect(redactExample('a=tok_' + 'q7w2e9r4t1y6 b=key-' + '4817305926', [rule('alpha-token'), other])).toBe(
      'a=…(16 chars) b=…(14 chars)',
    );
  });
});

describe('docs/rules.md', () => {
  const rendered = renderRulesDoc(catalogue);

  test('is up to date with rules/*.toml (UPDATE_DOCS=1 rewrites it)', () => {
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docPath, rendered);
    expect(readFileSync(docPath, 'utf8'), 'docs/rules.md is stale: run `npm run docs:rules`').toBe(rendered);
  });

  test('has a section for every rule', () => {
    for (const r of catalogue) expect(rendered).toContain(`\n## ${r.id}\n`);
  });

  test('holds no secret that the catalogue finds', () => {
    const { detector } = createDetector({ rules: catalogue, allowlists: [] }, { fingerprintKey: Buffer.alloc(32, 7) });
    const findings = detector.detect({ text: rendered, provenance: { kind: 'file', path: 'docs/rules.md' } });
    expect(findings.map((f) => `${f.ruleId} at line ${f.location.startLine}`)).toEqual([]);
  });
});
