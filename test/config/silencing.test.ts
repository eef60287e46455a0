// A global allowlist that matches anything silences every finding: loading such a config warns, naming the file and pattern.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

async function warnings(toml: string): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'spillway-silence-'));
  writeFileSync(join(root, '.spillway.toml'), `[extend]\nuseDefault = true\n\n${toml}`);
  const config = await loadConfig({ root });
  return config.problems.filter((p) => p.level === 'warning' && p.message.includes('silences')).map((p) => p.message.replace(root, '<root>'));
}

describe('an allowlist that silences everything', () => {
  it("paths = ['.*'] and regexes matching anything are warned about", async () => {
    expect(await warnings("[allowlist]\ndescription = 'all'\npaths = ['.*']\n")).toEqual([
      `<root>/.spillway.toml: allowlist "all": paths '.*' matches anything: it silences every finding`,
    ]);
    expect(await warnings("[[allowlists]]\nregexTarget = 'line'\nregexes = ['^', 'never-this']\n")).toEqual([
      `<root>/.spillway.toml: allowlist: regexes '^' matches anything: it silences every finding`,
    ]);
  });

  it('a narrow allowlist, one for some rules only, or an AND with a narrow part is not', async () => {
    expect(await warnings("[allowlist]\npaths = ['^vendor/', '''\\.lock$''']\nregexes = ['EXAMPLE']\n")).toEqual([]);
    expect(await warnings("[[allowlists]]\ntargetRules = ['generic-api-key']\npaths = ['.*']\n")).toEqual([]);
    expect(await warnings("[[allowlists]]\ncondition = 'AND'\npaths = ['.*']\nregexes = ['EXAMPLE']\n")).toEqual([]);
  });
});
