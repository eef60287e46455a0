// Rule files: the gitleaks superset parses, and every problem is reported at once, naming the rule.
import { describe, expect, test } from 'vitest';
import { countGroups, parseRuleFile } from '../../src/config/parse-rules.js';

describe('parseRuleFile', () => {
  test('reads gitleaks fields, our fields, and both allowlist forms', () => {
    const { rules, allowlists, problems } = parseRuleFile(
      `
title = "x"
[extend]
useDefault = true
disabledRules = ["a"]
[[rules]]
id = "r1"
description = "R one"
regex = '''key=([a-z]{8})'''
secretGroup = 1
entropy = 2.5
keywords = ["KEY="]
severity = "critical"
examples = ["key=abcdefgh", { text = "key=qwertyui", path = "Dockerfile" }]
counterexamples = ["key=abc"]
[rules.allowlist]
regexes = ['''^test''']
[[rules.allowlists]]
condition = "AND"
stopwords = ["Fake"]
paths = ['''^test/''']
[allowlist]
paths = ['''^vendor/''']
[[allowlists]]
regexTarget = "line"
regexes = ['''nosec''']
`,
      'x.toml',
    );
    expect(problems).toEqual([]);
    expect(rules[0]).toMatchObject({ id: 'r1', secretGroup: 1, entropy: 2.5, keywords: ['key='], severity: 'critical', confidence: 'medium' });
    expect(rules[0]?.examples).toEqual([{ text: 'key=abcdefgh' }, { text: 'key=qwertyui', path: 'Dockerfile' }]);
    expect(rules[0]?.allowlists.map((a) => a.condition)).toEqual(['OR', 'AND']);
    expect(rules[0]?.allowlists[1]?.stopwords).toEqual(['fake']);
    expect(allowlists.map((a) => a.regexTarget)).toEqual(['secret', 'line']);
  });

  test('reports every problem at once, each naming its rule', () => {
    const { rules, problems } = parseRuleFile(
      `
[[rules]]
id = "bad-regex"
regex = '''(a)\\1'''
[[rules]]
id = "bad-group"
regex = '''k=(\\w+)'''
secretGroup = 3
[[rules]]
id = "odd"
regex = '''x'''
colour = "blue"
severity = "urgent"
[[rules]]
description = "no id"
regex = "y"
`,
      'x.toml',
    );
    const messages = problems.map((p) => `${p.level} ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^error bad-regex: regex is not valid RE2 syntax .*backreferences/),
      expect.stringMatching(/^error bad-group: secretGroup 3 does not name a capture group \(the regex has 1\)/),
      expect.stringMatching(/^warning odd: unknown field 'colour' is ignored/),
      expect.stringMatching(/^error odd: 'severity' must be one of/),
      expect.stringMatching(/^error rules\[3\]: missing 'id'/),
    ]);
    expect(rules.map((r) => r.id)).toEqual(['bad-regex', 'bad-group', 'odd']);
  });

  test('malformed TOML is one error naming the file and position', () => {
    const { problems } = parseRuleFile('[[rules]\nid = ', 'broken.toml');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^broken\.toml: not valid TOML at line \d+/);
  });

  test('countGroups counts capture groups, named ones too, not non-capturing ones', () => {
    expect(countGroups('(?i)(a)(?:b)(?P<n>c)[(]')).toBe(2);
    expect(countGroups('abc')).toBe(0);
  });
});
