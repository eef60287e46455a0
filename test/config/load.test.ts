// Loading: built-in catalogue, .spillway.toml extending it, .gitleaks.toml replacing it unless it extends.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

let builtinDir: string;
const RULE = (id: string) => `[[rules]]\nid = "${id}"\nregex = '''${id}=(\\w+)'''\nkeywords = ["${id}"]\n`;

async function root(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spillway-config-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

beforeAll(async () => {
  builtinDir = await root({ 'a.toml': RULE('alpha') + RULE('beta'), 'b.toml': '[[allowlists]]\npaths = ["^vendor/"]\n' });
});

describe('loadConfig', () => {
  test('without a user config: the built-in catalogue', async () => {
    const c = await loadConfig({ root: await root({}), builtinDir });
    expect(c.rules.map((r) => r.id)).toEqual(['alpha', 'beta']);
    expect(c.allowlists).toHaveLength(1);
    expect(c.files).toEqual([]);
  });

  test('.spillway.toml extends the catalogue, overrides a rule by id and disables rules', async () => {
    const dir = await root({ '.spillway.toml': `[extend]\ndisabledRules = ["beta"]\n${RULE('gamma')}[[rules]]\nid = "alpha"\nentropy = 3.0\n[rules.allowlist]\nstopwords = ["fake"]\n` });
    const c = await loadConfig({ root: dir, builtinDir });
    expect(c.rules.map((r) => r.id)).toEqual(['alpha', 'gamma']);
    expect(c.rules[0]).toMatchObject({ id: 'alpha', entropy: 3, regex: 'alpha=(\\w+)' });
    expect(c.rules[0]?.allowlists).toHaveLength(1);
  });

  test('.gitleaks.toml (any file not named *spillway*) replaces the catalogue unless [extend] useDefault = true', async () => {
    const own = await loadConfig({ root: await root({ '.gitleaks.toml': RULE('mine') }), builtinDir });
    expect(own.rules.map((r) => r.id)).toEqual(['mine']);
    const ext = await loadConfig({ root: await root({ '.gitleaks.toml': `[extend]\nuseDefault = true\n${RULE('mine')}` }), builtinDir });
    expect(ext.rules.map((r) => r.id)).toEqual(['alpha', 'beta', 'mine']);
  });

  test('[extend] path chains another file, relative to the extending one', async () => {
    const dir = await root({ 'conf/base.toml': RULE('based'), 'conf/top.toml': `[extend]\npath = "base.toml"\n${RULE('top')}` });
    const c = await loadConfig({ root: dir, configPath: join(dir, 'conf/top.toml'), builtinDir });
    expect(c.rules.map((r) => r.id)).toEqual(['based', 'top']);
    expect(c.files).toHaveLength(2);
  });

  test('a missing --config is an error naming the file; a broken one too', async () => {
    const dir = await root({ 'bad.toml': 'rules = 3' });
    const missing = await loadConfig({ root: dir, configPath: join(dir, 'nope.toml'), builtinDir });
    expect(missing.problems[0]?.message).toMatch(/cannot read config .*nope\.toml/);
    const bad = await loadConfig({ root: dir, configPath: join(dir, 'bad.toml'), builtinDir });
    expect(bad.problems.some((p) => p.level === 'error' && /rules/.test(p.message))).toBe(true);
  });
});
