// The built-in catalogue parsed at build time: `npm run build` writes dist/rules-catalogue.json, and a scan
// reads it instead of parsing 500 kB of TOML (a fifth of a pre-commit scan's CPU) while nothing it was made
// from has changed: the rule files and the modules that turn them into rule specs.
import { createHash } from 'node:crypto';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRuleFile, type ParsedRuleFile } from './parse-rules.js';

/** The parsed catalogue beside the compiled code (dist/), shipped with it. */
export const CATALOGUE_CACHE = fileURLToPath(new URL('../rules-catalogue.json', import.meta.url));

/** The compiled modules whose code decides what a rule file parses to: a change to one makes the cache stale. */
const PARSER_MODULES = ['parse-rules.js', 'default-severity.js'].map((name) => fileURLToPath(new URL(name, import.meta.url)));

interface CatalogueCache {
  key: string;
  files: ParsedRuleFile[];
}

/** The built-in rule files, parsed: from the cache when its key still matches, else from their TOML. */
export async function parseBuiltinFiles(dir: string, names: readonly string[], cacheFile = CATALOGUE_CACHE): Promise<ParsedRuleFile[]> {
  const texts = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')));
  const key = await cacheKey(names, texts);
  const cached = await readCache(cacheFile);
  if (cached?.key === key && cached.files.length === names.length) return cached.files;
  return texts.map((text, i) => parseRuleFile(text, `rules/${names[i]}`, { checkRegexes: false }));
}

/** Writes the cache for the catalogue in `dir` (run by `npm run build`, after tsc). */
export async function writeCatalogueCache(dir: string, cacheFile = CATALOGUE_CACHE): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.toml')).sort();
  const texts = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')));
  const files = texts.map((text, i) => parseRuleFile(text, `rules/${names[i]}`, { checkRegexes: false }));
  const cache: CatalogueCache = { key: await cacheKey(names, texts), files };
  await writeFile(`${cacheFile}.tmp`, JSON.stringify(cache));
  await rename(`${cacheFile}.tmp`, cacheFile);
}

async function cacheKey(names: readonly string[], texts: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const module of PARSER_MODULES) hash.update(await readFile(module).catch(() => Buffer.from(module))).update('\0');
  names.forEach((name, i) => hash.update(name).update('\0').update(texts[i]!).update('\0'));
  return hash.digest('hex');
}

async function readCache(file: string): Promise<CatalogueCache | undefined> {
  try {
    const cache = JSON.parse(await readFile(file, 'utf8')) as CatalogueCache;
    return typeof cache.key === 'string' && Array.isArray(cache.files) ? cache : undefined;
  } catch {
    return undefined; // none yet (tsc alone does not write it), or unreadable: parse the TOML
  }
}
