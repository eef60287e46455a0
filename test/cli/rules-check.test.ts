// `spillway rules check`: runs every rule's examples and counterexamples; loading warns about a user rule that fails them.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load.js';

// A user rule for an invented token format; its second example lacks the prefix and its counterexample has it.
const BROKEN = `[extend]
useDefault = true

[[rules]]
id = "acme-deploy-token"
description = "ACME deploy token"
regex = '''acmedt_[A-Za-z0-9]{20}'''
keywords = ["acmedt_"]
examples = ["token = acmedt_Qm9Xc2VhbGVkRm9yVGVz", "token = Qm9Xc2VhbGVkRm9yVGVzdA"]
counterexamples = ["acmedt_ZmFrZWZha2VmYWtlZmFr is in the docs"]
`;
const GOOD = BROKEN.replace(', "token = Qm9Xc2VhbGVkRm9yVGVzdA"', '').replace('acmedt_ZmFrZWZha2VmYWtlZmFr is in the docs', 'acmedt_short');

async function run(argv: string[], files: Record<string, string>) {
  const cwd = await mkdtemp(join(tmpdir(), 'spillway-rules-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(cwd, name), text);
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, env: {}, cwd });
  return { code, stdout, stderr, cwd };
}

describe('spillway rules check', () => {
  test('the built-in catalogue passes: exit 0', async () => {
    const r = await run(['rules', 'check'], {});
    expect(r.stdout).toMatch(/^ok: \d+ rules/m);
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.code).toBe(0);
  }, 60_000);

  test("a user rule's missed example and found counterexample are failures naming the rule: exit 1", async () => {
    const r = await run(['rules', 'check', '--config', 'mine.toml'], { 'mine.toml': BROKEN });
    expect(r.stdout).toMatch(/^FAIL acme-deploy-token: example #1 \(path example\.txt\) is not found/m);
    expect(r.stdout).toMatch(/^FAIL acme-deploy-token: counterexample #0 \(path example\.txt\) is found/m);
    expect(r.stdout).toMatch(/2 failure\(s\) in 1 of \d+ rules/);
    expect(r.stdout).not.toContain('Qm9Xc2VhbGVkRm9yVGVz');
    expect(r.code).toBe(1);
  }, 60_000);

  test('a passing user rule with the catalogue: exit 0', async () => {
    const r = await run(['rules', 'check', '-c', 'mine.toml'], { 'mine.toml': GOOD });
    expect(r.stdout).toMatch(/^ok: /m);
    expect(r.code).toBe(0);
  }, 60_000);

  test('a config error is exit 2 with the error named', async () => {
    const r = await run(['rules', 'check', '--config', 'bad.toml'], { 'bad.toml': '[[rules]]\nid = "x"\nregex = "(a"\n' });
    expect(r.stderr).toMatch(/config error: x: regex is not valid RE2/);
    expect(r.code).toBe(2);
    expect((await run(['rules', 'frobnicate'], {})).code).toBe(2);
  }, 60_000);
});

describe('loading a config', () => {
  test('warns, naming the rule, when a user rule fails its own examples', async () => {
    const { cwd } = await run(['--version'], { '.spillway.toml': BROKEN });
    const config = await loadConfig({ root: cwd });
    const warnings = config.problems.filter((p) => p.subject === 'acme-deploy-token');
    expect(warnings.map((p) => [p.level, p.message.split(' (')[0]])).toEqual([
      ['warning', 'acme-deploy-token: example #1'],
      ['warning', 'acme-deploy-token: counterexample #0'],
    ]);
    expect(config.rules.some((r) => r.id === 'acme-deploy-token')).toBe(true);
  }, 60_000);

  test('is quiet about a user rule that passes, and about the built-in rules', async () => {
    const { cwd } = await run(['--version'], { '.spillway.toml': GOOD });
    expect((await loadConfig({ root: cwd })).problems).toEqual([]);
  }, 60_000);
});
