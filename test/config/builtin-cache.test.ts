// The parsed built-in catalogue that `npm run build` writes: the same rule specs as parsing the TOML, used while
// its key matches, and never once a rule file has changed.
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBuiltinFiles, writeCatalogueCache } from '../../src/config/builtin-cache.js';
import { BUILTIN_RULES_DIR } from '../../src/config/load.js';
import { parseRuleFile } from '../../src/config/parse-rules.js';

async function catalogueCopy(): Promise<{ dir: string; cache: string; names: string[] }> {
  const root = await mkdtemp(join(tmpdir(), 'spillway-catalogue-'));
  const dir = join(root, 'rules');
  await cp(BUILTIN_RULES_DIR, dir, { recursive: true });
  const names = (await readdir(dir)).filter((n) => n.endsWith('.toml')).sort();
  return { dir, cache: join(root, 'rules-catalogue.json'), names };
}

const fromToml = async (dir: string, names: string[]) =>
  Promise.all(names.map(async (n) => parseRuleFile(await readFile(join(dir, n), 'utf8'), `rules/${n}`, { checkRegexes: false })));

describe('built-in catalogue cache', () => {
  it('gives exactly the rule specs parsing the TOML gives', async () => {
    const { dir, cache, names } = await catalogueCopy();
    await writeCatalogueCache(dir, cache);
    expect(await parseBuiltinFiles(dir, names, cache)).toEqual(await fromToml(dir, names));
  });

  it('is what a load reads while its key matches', async () => {
    const { dir, cache, names } = await catalogueCopy();
    await writeCatalogueCache(dir, cache);
    const written = JSON.parse(await readFile(cache, 'utf8')) as { files: { rules: { description: string }[] }[] };
    written.files[0]!.rules[0]!.description = 'read from the cache';
    await writeFile(cache, JSON.stringify(written));
    expect((await parseBuiltinFiles(dir, names, cache))[0]!.rules[0]!.description).toBe('read from the cache');
  });

  it('is ignored once a rule file changes, or when it is missing or broken', async () => {
    const { dir, cache, names } = await catalogueCopy();
    await writeCatalogueCache(dir, cache);
    const file = join(dir, names[0]!);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/description = "[^"]*"/, 'description = "edited after the build"'));
    expect((await parseBuiltinFiles(dir, names, cache))[0]!.rules[0]!.description).toBe('edited after the build');
    await writeFile(cache, '{ not json');
    expect(await parseBuiltinFiles(dir, names, cache)).toEqual(await fromToml(dir, names));
    expect(await parseBuiltinFiles(dir, names, join(dir, 'absent.json'))).toEqual(await fromToml(dir, names));
  });
});
