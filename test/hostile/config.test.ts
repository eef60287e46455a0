// Hostile rule files through the CLI: malformed TOML, regexes RE2 rejects or a backtracking engine would choke on, unknown fields, no rules.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, group, removeGroups, type JsonReport } from './harness.js';

afterAll(removeGroups);

/** Writes `toml` as rules.toml in a fresh group and runs a JSON scan with it. */
async function scanWith(toml: string, files: Record<string, string> = {}): Promise<{ code: number; stderr: string; report?: JsonReport }> {
  const dir = group('config', files);
  writeFileSync(join(dir, 'rules.toml'), toml);
  const r = await cli(['scan', '.', '--no-git', '--config', 'rules.toml', '-f', 'json'], dir);
  return { code: r.code, stderr: r.stderr, ...(r.stdout ? { report: JSON.parse(r.stdout) as JsonReport } : {}) };
}

const TOKEN_RULE = "[[rules]]\nid = \"tok\"\nregex = '''\\bftk_[A-Za-z0-9]{24}\\b'''\n";

describe('hostile configuration', () => {
  it('malformed TOML: exit 2, the file, line and column named, nothing scanned', async () => {
    const r = await scanWith('[[rules]\nid = "x"\n');
    expect(r.code).toBe(2);
    expect(r.report).toBeUndefined();
    expect(r.stderr).toMatch(/config error: \S+rules\.toml: not valid TOML at line 1, column 9/);
  });

  it('a regex RE2 rejects: exit 2, the message names the rule id and says why', async () => {
    const r = await scanWith(`${TOKEN_RULE}[[rules]]\nid = "backref"\nregex = '''(a)\\1'''\n[[rules]]\nid = "lookahead"\nregex = '''x(?=y)'''\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('config error: backref: regex is not valid RE2 syntax (invalid escape sequence: \\1); RE2 has no backreferences or lookaround (in ');
    expect(r.stderr).toContain('config error: lookahead: regex is not valid RE2 syntax (invalid perl operator: (?=); RE2 has no backreferences or lookaround (in ');
    expect(r.stderr).not.toMatch(/\btok:/);
  });

  it('(a+)+$ on 50,000 a and a b: RE2 stays linear, the scan completes', async () => {
    const started = performance.now();
    const r = await scanWith("[[rules]]\nid = \"catastrophic\"\nregex = '''(a+)+$'''\n" + TOKEN_RULE, { 'aaa.txt': 'a'.repeat(50_000) + 'b' });
    console.log(`FIGURE catastrophic regex (a+)+$ on 50,001 chars: whole CLI run ${((performance.now() - started) / 1000).toFixed(2)} s`);
    expect(r.report!.findings.map((f) => `${f.path} ${f.ruleId}`)).toEqual(['good.ts tok']);
    expect(r.code).toBe(1);
  });

  it('unknown fields are warned about by name (top level and in a rule); the rules still run', async () => {
    const r = await scanWith(`colour = "blue"\n${TOKEN_RULE}sevrity = "high"\n`);
    expect(r.stderr).toContain("rules.toml: unknown top-level field 'colour' is ignored");
    expect(r.stderr).toContain("config warning: tok: unknown field 'sevrity' is ignored");
    expect(r.report!.findings.map((f) => f.path)).toEqual(['good.ts']);
    expect(r.code).toBe(1);
  });

  it('no rules and no [extend]: the scan runs with 0 findings and exit 0, and a warning says nothing can be found', async () => {
    const r = await scanWith('title = "nothing"\n');
    expect(r.report!.findings).toEqual([]);
    expect(r.stderr).toMatch(/config warning: \S+rules\.toml: no rules \(and no \[extend\] of the built-in ones\): the scan will find nothing/);
    expect(r.code).toBe(0);
  });
});
