// On a pull request, the files that decide what the scan reports (config, ignore files, baseline) come from the base
// commit: a pull request's own `.spillway.toml` or `.gitleaksignore` must not make the scan of that pull request pass.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { CONFIG_FILE_NAMES } from '../config/load.js';
import { IGNORE_FILE_NAMES } from '../config/ignore-file.js';
import { runGit } from '../sources/git/safe-git.js';

/** What runScan is given instead of the workspace's files, and what the pull request changed among them. */
export interface BaseControls {
  /** The private folder holding the copies: removed after the scan. */
  dir: string;
  configPath?: string;
  ignoreFilePath: string;
  baselinePath?: string;
  /** Workspace-relative paths of control files the pull request adds, changes or deletes. */
  changed: string[];
  /** Why something the workflow names was not used (a warning each). */
  warnings: string[];
}

/** A path of the workspace, relative to it; undefined for one outside it (the workflow's own file, used as is). */
function inWorkspace(workspace: string, path: string): string | undefined {
  const rel = relative(workspace, resolve(workspace, path));
  return rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split('\\').join('/');
}

async function blobId(workspace: string, rev: string, path: string): Promise<string> {
  const r = await runGit(workspace, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}:${path}`]);
  return r.code === 0 ? r.stdout.toString('utf8').trim() : '';
}

async function blob(workspace: string, rev: string, path: string): Promise<Buffer | undefined> {
  const r = await runGit(workspace, ['cat-file', 'blob', `${rev}:${path}`]);
  return r.code === 0 ? r.stdout : undefined;
}

/**
 * Writes the base commit's config, ignore files and baseline into `dir` (private to this run) and names them.
 * A workflow input outside the workspace is the workflow's own file and is used as is. When the base commit is not
 * in the checkout, nothing of the pull request is used: the built-in rules, no ignore list, no baseline.
 */
export async function baseControls(workspace: string, base: string, head: string, inputs: { config?: string; baseline?: string }, dir: string): Promise<BaseControls> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const warnings: string[] = [];
  const haveBase = (await runGit(workspace, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`])).code === 0;
  if (!haveBase) warnings.push(`the base commit ${base.slice(0, 7)} is not in the checkout, so the pull request's config and ignore files are not used: built-in rules, no ignore list, no baseline (use actions/checkout with fetch-depth: 0)`);
  const read = (path: string) => (haveBase ? blob(workspace, base, path) : Promise.resolve(undefined));

  const configRel = inputs.config === undefined ? undefined : inWorkspace(workspace, inputs.config);
  const baselineRel = inputs.baseline === undefined ? undefined : inWorkspace(workspace, inputs.baseline);
  const out: BaseControls = { dir, ignoreFilePath: join(dir, 'ignore'), changed: [], warnings };

  if (inputs.config !== undefined && configRel === undefined) out.configPath = resolve(workspace, inputs.config);
  else {
    const names = configRel !== undefined ? [configRel] : [...CONFIG_FILE_NAMES];
    let text: Buffer | undefined;
    let name = '';
    for (name of names) if ((text = await read(name))) break;
    if (!text && configRel !== undefined) warnings.push(`config ${configRel} does not exist at the base commit ${base.slice(0, 7)}: the built-in rules are used`);
    // A name with "spillway" in it extends the built-in rules, as the repository's own .spillway.toml does.
    out.configPath = join(dir, text ? basename(name) : '.spillway.toml');
    await writeFile(out.configPath, text ?? '# no config at the base commit: the built-in rules\n', { mode: 0o600 });
  }

  const ignores = await Promise.all(IGNORE_FILE_NAMES.map(read));
  await writeFile(out.ignoreFilePath, Buffer.concat(ignores.flatMap((b) => (b ? [b, Buffer.from('\n')] : []))), { mode: 0o600 });

  if (inputs.baseline !== undefined && baselineRel === undefined) out.baselinePath = resolve(workspace, inputs.baseline);
  else if (baselineRel !== undefined) {
    const text = await read(baselineRel);
    if (text) {
      out.baselinePath = join(dir, `baseline-${basename(baselineRel)}`);
      await writeFile(out.baselinePath, text, { mode: 0o600 });
    } else if (haveBase) warnings.push(`baseline ${baselineRel} does not exist at the base commit ${base.slice(0, 7)}: no baseline is used`);
  }

  const watched = [...new Set([...CONFIG_FILE_NAMES, ...IGNORE_FILE_NAMES, ...(configRel ? [configRel] : []), ...(baselineRel ? [baselineRel] : [])])];
  for (const path of haveBase ? watched : []) {
    const [before, after] = await Promise.all([blobId(workspace, base, path), blobId(workspace, head, path)]);
    if (before !== after) out.changed.push(path);
  }
  return out;
}
