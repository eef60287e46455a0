// `spillway scan` end to end: formats, redaction, output files, suppression, exit codes.
import { execFileSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO, spillway, tree } from './run.js';

const RULES = join(REPO, 'fixtures/cli/rules.toml');
const TOKEN = 'ftk_' + 'Zq8Wm3Xk2Lp7Vn4Bc9Rt6Yu1';
const TOKEN2 = 'ftk_' + 'Hj5Kl8Mn2Pq4Rs7Tv9Wx3Yz6';

describe('spillway scan', () => {
  test('text report: finding, redacted secret, summary, exit 1', async () => {
    const dir = await tree({ 'src/app.ts': `const a = 1;\nconst token = "${TOKEN}";\n` });
    const r = await spillway(['scan', '.', '--config', RULES], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/app.ts');
    expect(r.stdout).toMatch(/2:16\s+high\s+fake-token/);
    expect(r.stdout).toMatch(/1 finding in 1 file/);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  test('a clean tree exits 0', async () => {
    const dir = await tree({ 'a.txt': 'nothing to see\n', 'b.env': 'password = "${DB_PASSWORD}"\n' });
    const r = await spillway(['scan', '.', '--config', RULES], { cwd: dir });
    expect(r.stdout).toMatch(/No secrets found/);
    expect(r.code).toBe(0);
  });

  test('json and sarif to --output: mode 0600, nothing on stdout, secret absent', async () => {
    const dir = await tree({ 'a.py': `password = "Xk9#mQ2$vL8pR4"\ntoken = '${TOKEN}'\n` });
    for (const format of ['json', 'sarif']) {
      const out = join(dir, `report.${format}`);
      const r = await spillway(['scan', dir, '-f', format, '-o', out, '--config', RULES], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect((await stat(out)).mode & 0o777).toBe(0o600);
      const text = await readFile(out, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('Xk9#mQ2$vL8pR4');
      const doc = JSON.parse(text);
      const count = format === 'json' ? doc.findings.length : doc.runs[0].results.length;
      expect(count).toBe(2);
    }
  });

  test('--show-secrets prints the secret in full; --no-redact alone is a usage error naming it', async () => {
    const dir = await tree({ 'a.ts': `t = "${TOKEN}"\n` });
    expect((await spillway(['scan', '.', '--config', RULES, '--show-secrets'], { cwd: dir })).stdout).toContain(TOKEN);
    const r = await spillway(['scan', '.', '--config', RULES, '--no-redact'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/use --show-secrets/);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  test('--baseline reports only what is new', async () => {
    const dir = await tree({ 'a.ts': `t = "${TOKEN}"\n` });
    const base = join(dir, 'base.json');
    expect((await spillway(['scan', dir, '--config', RULES, '-f', 'json', '-o', base], { cwd: dir })).code).toBe(1);
    expect((await spillway(['scan', dir, '--config', RULES, '--baseline', base], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'b.ts'), `\n\nu = "${TOKEN2}"\n`);
    const r = await spillway(['scan', dir, '--config', RULES, '--baseline', base, '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { path: string }) => f.path)).toEqual(['b.ts']);
  });

  test('a SARIF baseline works too, and a bad baseline is exit 2 naming the file', async () => {
    const dir = await tree({ 'a.ts': `t = "${TOKEN}"\n` });
    const base = join(dir, 'base.sarif');
    await spillway(['scan', dir, '--config', RULES, '-f', 'sarif', '-o', base], { cwd: dir });
    expect((await spillway(['scan', dir, '--config', RULES, '--baseline', base], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'junk.json'), '{"nope": 1}');
    const bad = await spillway(['scan', dir, '--config', RULES, '--baseline', join(dir, 'junk.json')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/junk\.json/);
  });

  test('.spillwayignore fingerprints and inline spillway:allow suppress', async () => {
    const dir = await tree({ 'a.ts': `t = "${TOKEN}"\n`, 'b.ts': `u = "${TOKEN2}" // spillway:allow\n` });
    const first = JSON.parse((await spillway(['scan', '.', '--config', RULES, '-f', 'json'], { cwd: dir })).stdout);
    expect(first.findings.map((f: { path: string }) => f.path)).toEqual(['a.ts']);
    await writeFile(join(dir, '.spillwayignore'), `# reviewed: test value\n${first.findings[0].fingerprint}\n`);
    expect((await spillway(['scan', '.', '--config', RULES], { cwd: dir })).code).toBe(0);
  });

  test('config errors: every problem reported, naming the rule, exit 2', async () => {
    const dir = await tree({
      'bad.toml': `[[rules]]\nid = "one"\nregex = '''(?<=x)y'''\n[[rules]]\nid = "two"\nregex = '''z'''\nsecretGroup = 4\n`,
      'a.ts': 'x',
    });
    const r = await spillway(['scan', '.', '--config', 'bad.toml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/one: regex is not valid RE2/);
    expect(r.stderr).toMatch(/two: secretGroup 4/);
  });

  test('usage errors exit 2', async () => {
    const dir = await tree({});
    expect((await spillway(['scna'], { cwd: dir })).code).toBe(2);
    expect((await spillway(['scan', '--format', 'xml'], { cwd: dir })).code).toBe(2);
  });

  test('inside a git checkout .gitignore is honoured; --no-git scans everything', async () => {
    const dir = await tree({ '.gitignore': 'build/\n', 'build/out.js': `t="${TOKEN}"\n`, 'src/a.ts': 'ok\n' });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    expect((await spillway(['scan', '.', '--config', RULES], { cwd: dir })).code).toBe(0);
    expect((await spillway(['scan', '.', '--config', RULES, '--no-git'], { cwd: dir })).code).toBe(1);
  });

  test('--exclude skips matching paths', async () => {
    const dir = await tree({ 'vendor/lib.js': `t="${TOKEN}"\n`, 'src/a.ts': 'ok\n' });
    expect((await spillway(['scan', '.', '--config', RULES, '--no-git', '--exclude', 'vendor/'], { cwd: dir })).code).toBe(0);
    expect((await spillway(['scan', '.', '--config', RULES, '--no-git'], { cwd: dir })).code).toBe(1);
  });

  test('the repository scan of this project is clean with its own .spillway.toml', async () => {
    const r = await spillway(['scan', '.', '--format', 'json'], { cwd: REPO });
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(r.code).toBe(0);
  });
});
