// The user's remediation settings: `[remediate]` of <config dir>/spillway/config.toml, never a file of the scanned repository.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parseRepoRef, type RepoRef } from './github/repo-ref.js';
import { DEFAULT_LAYOUT, parseLayout, type Layout } from './layout.js';
import { userConfigDir } from '../user-dirs.js';

export interface RemediateSettings {
  /** `issue-repo`: the (private) security repository incident issues go to when no --github is given. */
  issueRepo?: RepoRef;
  /** `[remediate.layout]`: the team's naming conventions, seed 000's by default. */
  layout: Layout;
  /** The file read, for messages. */
  file: string;
}

const KEYS = new Set(['issue-repo']);
const TABLES = new Set(['layout']);

/** `$XDG_CONFIG_HOME/spillway/config.toml` (default `~/.config/spillway/config.toml`). */
export function settingsFile(env: Record<string, string | undefined>): string {
  return join(userConfigDir(env), 'config.toml');
}

/** Reads the `[remediate]` table; a missing file is no settings. Throws an Error naming the file and key for anything it cannot honour. */
export async function loadRemediateSettings(env: Record<string, string | undefined>): Promise<RemediateSettings> {
  const file = settingsFile(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, layout: DEFAULT_LAYOUT };
    throw new Error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file}: not valid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
  const table = doc.remediate;
  if (table === undefined) return { file, layout: DEFAULT_LAYOUT };
  if (typeof table !== 'object' || table === null || Array.isArray(table)) throw new Error(`${file}: [remediate] must be a table`);
  for (const key of Object.keys(table)) {
    if (!KEYS.has(key) && !TABLES.has(key)) throw new Error(`${file}: [remediate] ${key}: unknown key (known: ${[...KEYS].join(', ')}), nor a table (known: ${[...TABLES].map((t) => `[remediate.${t}]`).join(', ')})`);
  }
  const layout = parseLayout((table as Record<string, unknown>).layout, file);
  const repo = (table as Record<string, unknown>)['issue-repo'];
  if (repo === undefined) return { file, layout };
  if (typeof repo !== 'string') throw new Error(`${file}: [remediate] issue-repo: expected "OWNER/REPO"`);
  try {
    return { file, layout, issueRepo: parseRepoRef(repo) };
  } catch {
    throw new Error(`${file}: [remediate] issue-repo: expected OWNER/REPO, got "${repo}"`);
  }
}
