// Loads the rule set: the built-in catalogue, then the user's config (spillway or gitleaks format) on top.
import { lstat, readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFloorModel, parseLearnedModel, type LearnedModel } from '../detect/learned/model.js';
import { checkRules } from '../scan/rule-check.js';
import type { AllowlistSpec, ConfigProblem, RuleSpec } from '../types.js';
import { parseBuiltinFiles } from './builtin-cache.js';
import { parseRuleFile, type ParsedRuleFile } from './parse-rules.js';
import { readRegularFile } from '../safe-fs.js';
import { silencingAllowlists } from './silencing.js';

export interface Config {
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
  problems: ConfigProblem[];
  /** Config files read, built-in ones excluded. */
  files: string[];
  /** The learned filter for generic candidates (`rules/learned/generic.json`), when the catalogue has one. */
  learned?: LearnedModel;
}

export interface LoadOptions {
  /** Scan root: `.spillway.toml` or `.gitleaks.toml` there is used when no configPath is given. */
  root: string;
  configPath?: string;
  /** Folder of the built-in catalogue (default: the package's `rules/`). */
  builtinDir?: string;
  /** Warn about a user rule whose examples fail (default true; `rules check` reports them itself). */
  checkUserRules?: boolean;
}

/** The package's own `rules/` folder: two levels up from both src/config and dist/config. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

export const CONFIG_FILE_NAMES = ['.spillway.toml', '.gitleaks.toml'] as const;

const MAX_EXTEND_DEPTH = 4;

type Rules = Pick<Config, 'rules' | 'allowlists'>;
/** The built-in catalogue, read only when some config file extends it. */
type BuiltinLoader = () => Promise<Rules>;

/** Loads the whole configuration. Never throws for bad config: problems are collected. */
export async function loadConfig(opts: LoadOptions): Promise<Config> {
  const problems: ConfigProblem[] = [];
  const files: string[] = [];
  const userFile = opts.configPath ? resolve(opts.root, opts.configPath) : await findConfigFile(opts.root);
  const found = !opts.configPath && userFile !== undefined;
  let cached: Promise<Rules> | undefined;
  const builtinDir = opts.builtinDir ?? BUILTIN_RULES_DIR;
  const builtin = (): Promise<Rules> => (cached ??= loadBuiltin(builtinDir, problems));
  const model = await loadLearnedModel(builtinDir, problems);
  const learned = model ? { learned: model } : {};
  if (!userFile) return { ...(await builtin()), problems, files, ...learned };
  const user = await loadUserFile(userFile, builtin, problems, files, 0, found);
  if (user.rules.length === 0 && !problems.some((p) => p.level === 'error')) {
    // Legal, but a scan that cannot find anything must not look like a clean one.
    problems.push({ level: 'warning', file: userFile, message: `${userFile}: no rules (and no [extend] of the built-in ones): the scan will find nothing; add [extend] useDefault = true to keep the built-in rules` });
  }
  problems.push(...unknownTargets(user));
  problems.push(...silencingAllowlists(user.allowlists, userFile));
  if (opts.checkUserRules ?? true) problems.push(...userRuleProblems(user, files, problems));
  return { ...user, problems, files, ...learned };
}

/**
 * The learned filter's weights, with the weak floor (`learned/weak.json`) when there is one; a catalogue without
 * them scores generic findings by their rules' confidence and keeps every weak candidate.
 */
async function loadLearnedModel(dir: string, problems: ConfigProblem[]): Promise<LearnedModel | undefined> {
  const model = await readModel(join(dir, 'learned', 'generic.json'), parseLearnedModel, "generic findings keep their rules' confidence", problems);
  const weak = await readModel(join(dir, 'learned', 'weak.json'), parseFloorModel, 'weak candidates are all kept', problems);
  return model && weak ? { ...model, weak } : model;
}

/** A model file parsed by `parse`; a missing file is no model, a bad one a warning saying what happens without it. */
async function readModel<M>(file: string, parse: (raw: unknown) => M | string, without: string, problems: ConfigProblem[]): Promise<M | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let model: M | string;
  try {
    model = parse(JSON.parse(text));
  } catch (err) {
    model = `not JSON (${(err as Error).message})`;
  }
  if (typeof model !== 'string') return model;
  problems.push({ level: 'warning', file, message: `${file}: ${model}; ${without}` });
  return undefined;
}

/** A global allowlist aimed at a rule id that is not loaded applies to nothing: say so. */
function unknownTargets(config: Rules): ConfigProblem[] {
  const ids = new Set(config.rules.map((r) => r.id));
  return config.allowlists.flatMap((a) =>
    (a.targetRules ?? [])
      .filter((id) => !ids.has(id))
      .map((id) => ({ level: 'warning' as const, subject: id, message: `global allowlist: targetRules names '${id}', which is not a loaded rule: the allowlist does nothing for it` })),
  );
}

/** A user's rule (or override) whose own examples fail loads, but says so: it may not find what its author thinks. */
function userRuleProblems(config: Rules, files: string[], known: readonly ConfigProblem[]): ConfigProblem[] {
  const userFiles = new Set(files);
  // A rule already in error (a regex RE2 refuses) is reported once, by that error: its examples cannot run.
  const broken = new Set(known.filter((p) => p.level === 'error' && p.subject !== undefined).map((p) => p.subject));
  const rules = config.rules.filter((r) => r.source !== undefined && userFiles.has(r.source) && !broken.has(r.id));
  if (rules.length === 0) return [];
  // NOTE: checked on their own (cheap at every load); `rules check` runs them among the whole rule set.
  return checkRules({ rules, allowlists: config.allowlists }).filter((f) => f.level === 'error').map((f) => ({
    level: 'warning' as const,
    subject: f.ruleId,
    ...(f.source !== undefined ? { file: f.source } : {}),
    message: `${f.message} (spillway rules check --config ${f.source ?? 'FILE'} lists every failure)`,
  }));
}

/** Reads every `*.toml` file of the built-in catalogue. */
export async function loadBuiltin(dir: string, problems: ConfigProblem[]): Promise<Rules> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.toml')).sort();
  } catch (err) {
    problems.push({ level: 'error', file: dir, message: `cannot read the built-in rules folder ${dir}: ${(err as Error).message}` });
    return { rules: [], allowlists: [] };
  }
  const parsed = await parseBuiltinFiles(dir, names);
  const rules: RuleSpec[] = [];
  const allowlists: AllowlistSpec[] = [];
  const seen = new Map<string, string>();
  for (const file of parsed) {
    problems.push(...file.problems);
    for (const rule of file.rules) {
      const other = seen.get(rule.id);
      if (other) problems.push({ level: 'error', subject: rule.id, file: rule.source, message: `${rule.id}: duplicate rule id (also in ${other})` });
      seen.set(rule.id, rule.source ?? '');
      rules.push(rule);
    }
    allowlists.push(...file.allowlists);
  }
  return { rules, allowlists };
}

async function findConfigFile(root: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    // Present in any form (a FIFO, a symlink): loadUserFile reads it or says why it cannot.
    if (await lstat(join(root, name)).then(() => true, () => false)) return join(root, name);
  }
  return undefined;
}

async function loadUserFile(
  file: string,
  builtin: BuiltinLoader,
  problems: ConfigProblem[],
  files: string[],
  depth: number,
  inScannedFolder = false,
): Promise<Rules> {
  let text: string;
  try {
    text = await readRegularFile(file, { noFollow: inScannedFolder });
  } catch (err) {
    problems.push({ level: 'error', file, message: `cannot read config ${file}: ${(err as Error).message}` });
    return builtin();
  }
  files.push(file);
  const parsed = parseRuleFile(text, file);
  problems.push(...parsed.problems);
  const base = await baseFor(file, parsed, builtin, problems, files, depth);
  return mergeConfig(base, parsed);
}

/**
 * What a file extends: `.spillway.toml` (any name containing "spillway") extends the built-in rules unless
 * `[extend] useDefault = false`; any other file follows gitleaks and extends them only when it says so.
 */
async function baseFor(
  file: string,
  parsed: ParsedRuleFile,
  builtin: BuiltinLoader,
  problems: ConfigProblem[],
  files: string[],
  depth: number,
): Promise<Rules> {
  const spillwayFormat = basename(file).toLowerCase().includes('spillway');
  const extend = parsed.extend;
  let base: Rules = { rules: [], allowlists: [] };
  if (extend?.path) {
    if (depth >= MAX_EXTEND_DEPTH) {
      problems.push({ level: 'error', file, message: `${file}: [extend] path nests deeper than ${MAX_EXTEND_DEPTH} files` });
    } else {
      base = await loadUserFile(resolve(dirname(file), extend.path), builtin, problems, files, depth + 1);
    }
  } else if (extend?.useDefault ?? spillwayFormat) {
    base = await builtin();
  }
  const disabled = new Set(extend?.disabledRules ?? []);
  return { rules: base.rules.filter((r) => !disabled.has(r.id)), allowlists: base.allowlists };
}

/** gitleaks merge: a rule with a known id overrides the fields it sets and adds its allowlists. */
function mergeConfig(base: Rules, top: ParsedRuleFile): Rules {
  const byId = new Map(base.rules.map((r) => [r.id, r]));
  for (const rule of top.rules) {
    const old = byId.get(rule.id);
    byId.set(rule.id, old ? overrideRule(old, rule) : rule);
  }
  return { rules: [...byId.values()], allowlists: [...base.allowlists, ...top.allowlists] };
}

function overrideRule(old: RuleSpec, top: RuleSpec): RuleSpec {
  return {
    ...old,
    ...(top.regex !== undefined ? { regex: top.regex, secretGroup: top.secretGroup } : {}),
    ...(top.entropy !== undefined ? { entropy: top.entropy } : {}),
    ...(top.path !== undefined ? { path: top.path } : {}),
    ...(top.place !== undefined ? { place: top.place } : {}),
    ...(top.description !== top.id ? { description: top.description } : {}),
    keywords: top.keywords.length > 0 ? top.keywords : old.keywords,
    tags: top.tags.length > 0 ? top.tags : old.tags,
    allowlists: [...old.allowlists, ...top.allowlists],
    source: top.source,
  };
}
