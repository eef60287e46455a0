// Usage errors a new user meets first: each is exit 2, named, and found before anything is scanned.
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { spillway, tree } from './run.js';

const BAD_REGEX = "regex = '''(?<=x)y'''";

describe('usage errors', () => {
  test('-f and -o with no value are errors naming the flag (nothing is scanned)', async () => {
    const dir = await tree({ 'a.txt': 'nothing\n' });
    for (const args of [['-f'], ['-o'], ['-f', 'json', '-o'], ['-o', '-f', 'json']]) {
      const r = await spillway(['scan', '.', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/Not enough arguments following: [fo]/);
      expect(r.stdout).not.toMatch(/No secrets found/);
    }
  });

  test('history --since / --until with text git cannot read as a date is a usage error', async () => {
    const dir = await tree({ 'a.txt': 'x\n' });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'x'], { cwd: dir });
    const bad = await spillway(['history', '--since', 'not a date'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since "not a date" is not a date/);
    expect((await spillway(['history', '--until', 'soonish'], { cwd: dir })).code).toBe(2);
    expect((await spillway(['history', '--since', '2 weeks ago'], { cwd: dir })).code).toBe(0);
    expect((await spillway(['history', '--since', '2024-01-31'], { cwd: dir })).code).toBe(0);
  });

  test('--no-redact is refused before the scan starts (no configuration is even read)', async () => {
    const dir = await tree({ 'a.txt': 'x\n' });
    for (const command of [['scan', '.'], ['logs', 'missing.log']]) {
      const r = await spillway([...command, '--no-redact', '--config', 'missing.toml'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/use --show-secrets/);
      expect(r.stderr + r.stdout).not.toMatch(/missing\.(toml|log)/);
    }
  });

  test('config errors are counted once, and a broken rule with examples is one error, not a crash', async () => {
    const dup = await tree({ '.gitleaks.toml': `[[rules]]\nid = "one"\n${BAD_REGEX}\n[[rules]]\nid = "one"\n${BAD_REGEX}\n`, 'a.txt': 'x\n' });
    const a = await spillway(['scan', '.'], { cwd: dup });
    expect(a.code).toBe(2);
    const errors = a.stderr.split('\n').filter((l) => l.includes('config error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/one: regex is not valid RE2 .*\(in .*\.gitleaks\.toml\)/);
    expect(a.stderr).toMatch(/fix the configuration above \(1 error\)/);

    const withExamples = await tree({
      'rules.toml': `[[rules]]\nid = "one"\n${BAD_REGEX}\nexamples = ["xy"]\n[[rules]]\nid = "two"\nregex = '''z[0-9]+'''\nexamples = ["abc"]\n`,
      'a.txt': 'x\n',
    });
    const b = await spillway(['scan', '.', '--config', 'rules.toml'], { cwd: withExamples });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/config error: one: regex is not valid RE2/);
    expect(b.stderr).toMatch(/config warning: two: example #0 .* is not found/);
    expect(b.stderr).toMatch(/\(1 error\)/);
  });
});
