// Parses one rule file (gitleaks format plus spillway's fields) into specs, collecting every problem at once.
import { parse as parseToml, TomlError } from 'smol-toml';
import RE2 from 're2';
import { re2 } from '../detect/re2-cache.js';
import type { AllowlistSpec, ConfigProblem, Confidence, RuleExample, RuleSpec, Severity } from '../types.js';
import { severityFromId } from './default-severity.js';

/** The `[extend]` table of a config file (gitleaks semantics). */
export interface ExtendSpec {
  useDefault?: boolean;
  path?: string;
  disabledRules: string[];
}

export interface ParsedRuleFile {
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
  extend?: ExtendSpec;
  problems: ConfigProblem[];
}

type Table = Record<string, unknown>;

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];
const RULE_FIELDS = new Set([
  'id', 'description', 'regex', 'secretGroup', 'entropy', 'keywords', 'path', 'place', 'tags', 'allowlist',
  'allowlists', 'severity', 'confidence', 'examples', 'counterexamples', 'validator', 'remediation',
]);
// gitleaks fields we read without acting on them: accepted silently would hide a difference, so we warn.
const GITLEAKS_UNSUPPORTED = new Set(['required', 'skipReport', 'reportGroup']);
const ALLOWLIST_FIELDS = new Set(['description', 'condition', 'regexTarget', 'regexes', 'paths', 'stopwords', 'commits', 'targetRules']);
const TOP_FIELDS = new Set(['title', 'description', 'extend', 'rules', 'allowlist', 'allowlists']);

const EXTEND_FIELDS = new Set(['useDefault', 'path', 'disabledRules']);
const GLOBAL = 'global allowlist';

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ParseOptions {
  /**
   * Compile each rule's regex to check it (default true). The built-in catalogue skips it: its test checks
   * every rule, and the detector compiles a regex only once a chunk holds one of its keywords.
   */
  checkRegexes?: boolean;
}

/** Parses the text of a TOML rule file. Never throws: problems are returned. */
export function parseRuleFile(text: string, file: string, opts: ParseOptions = {}): ParsedRuleFile {
  const checkRegexes = opts.checkRegexes ?? true;
  const problems: ConfigProblem[] = [];
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (err) {
    const where = err instanceof TomlError ? ` at line ${err.line}, column ${err.column}` : '';
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    problems.push({ level: 'error', file, message: `${file}: not valid TOML${where}: ${reason}` });
    return { rules: [], allowlists: [], problems };
  }
  for (const key of Object.keys(doc)) {
    if (key === 'minVersion') problems.push({ level: 'warning', file, subject: key, message: `${file}: 'minVersion' (a gitleaks version) is not checked by spillway and is ignored` });
    else if (!TOP_FIELDS.has(key)) problems.push({ level: 'warning', file, subject: key, message: `${file}: unknown top-level field '${key}' is ignored` });
  }
  const rules: RuleSpec[] = [];
  const rawRules = doc.rules === undefined ? [] : doc.rules;
  if (!Array.isArray(rawRules)) {
    problems.push({ level: 'error', file, message: `${file}: 'rules' must be an array of tables ([[rules]])` });
  } else {
    rawRules.forEach((raw, i) => {
      const rule = parseRule(raw, i, file, problems, checkRegexes);
      if (rule) rules.push(rule);
    });
  }
  const allowlists = [
    ...(doc.allowlist === undefined ? [] : [doc.allowlist]),
    ...(Array.isArray(doc.allowlists) ? doc.allowlists : []),
  ].flatMap((raw) => parseAllowlist(raw, GLOBAL, file, problems) ?? []);
  const extend = parseExtend(doc.extend, file, problems);
  return { rules, allowlists, problems, ...(extend ? { extend } : {}) };
}

function parseExtend(raw: unknown, file: string, problems: ConfigProblem[]): ExtendSpec | undefined {
  if (raw === undefined) return undefined;
  if (!isTable(raw)) {
    problems.push({ level: 'error', file, message: `${file}: [extend] must be a table` });
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!EXTEND_FIELDS.has(key)) problems.push({ level: 'warning', file, subject: 'extend', message: `${file}: unknown [extend] field '${key}' is ignored` });
  }
  return {
    ...(typeof raw.useDefault === 'boolean' ? { useDefault: raw.useDefault } : {}),
    ...(typeof raw.path === 'string' ? { path: raw.path } : {}),
    disabledRules: stringList(raw.disabledRules, 'extend.disabledRules', file, problems),
  };
}

function parseRule(raw: unknown, index: number, file: string, problems: ConfigProblem[], checkRegexes: boolean): RuleSpec | undefined {
  if (!isTable(raw)) {
    problems.push({ level: 'error', file, message: `${file}: rules[${index}] is not a table` });
    return undefined;
  }
  const id = typeof raw.id === 'string' && raw.id.trim() !== '' ? raw.id.trim() : undefined;
  const subject = id ?? `rules[${index}]`;
  const report = (level: ConfigProblem['level'], message: string): void => {
    problems.push({ level, file, subject, message: `${subject}: ${message}` });
  };
  if (!id) report('error', "missing 'id'");
  for (const key of Object.keys(raw)) {
    if (GITLEAKS_UNSUPPORTED.has(key)) report('warning', `field '${key}' (gitleaks) is not supported and is ignored`);
    else if (!RULE_FIELDS.has(key)) report('warning', `unknown field '${key}' is ignored`);
  }
  const regex = optionalString(raw.regex, 'regex', report);
  const path = optionalString(raw.path, 'path', report);
  const place = optionalString(raw.place, 'place', report);
  if (regex === undefined && path === undefined) report('error', "needs a 'regex' or a 'path'");
  const secretGroup = optionalNumber(raw.secretGroup, 'secretGroup', report);
  let groups = 0;
  for (const [name, pattern] of [['regex', regex], ['path', path], ['place', place]] as const) {
    if (pattern === undefined || (name === 'regex' && !checkRegexes)) continue;
    try {
      // Compiled as the detector compiles it (re2 caches it for the detector); groups counted only when needed.
      re2(pattern, name === 'regex' ? 'gd' : '');
      if (name === 'regex' && secretGroup !== undefined) groups = countGroups(pattern);
    } catch (err) {
      report('error', `${name} is not valid RE2 syntax (${(err as Error).message}); RE2 has no backreferences or lookaround`);
    }
  }
  if (secretGroup !== undefined && (!Number.isInteger(secretGroup) || secretGroup < 0 || (regex !== undefined && checkRegexes && secretGroup > groups))) {
    report('error', `secretGroup ${secretGroup} does not name a capture group (the regex has ${groups})`);
  }
  const entropy = optionalNumber(raw.entropy, 'entropy', report);
  const keywords = stringList(raw.keywords, `${subject}.keywords`, file, problems).map((k) => k.toLowerCase());
  // gitleaks rules carry no severity: one is read from the id rather than every rule being high.
  const severity = enumValue(raw.severity, SEVERITIES, severityFromId(id ?? ''), 'severity', report);
  const confidence = enumValue(raw.confidence, CONFIDENCES, 'medium', 'confidence', report);
  const allowlistRaw = [...(raw.allowlist === undefined ? [] : [raw.allowlist]), ...(Array.isArray(raw.allowlists) ? raw.allowlists : [])];
  const allowlists = allowlistRaw.flatMap((a) => parseAllowlist(a, subject, file, problems) ?? []);
  if (!id) return undefined;
  const validator = optionalString(raw.validator, 'validator', report);
  const remediation = optionalString(raw.remediation, 'remediation', report);
  return {
    id,
    description: typeof raw.description === 'string' ? raw.description : id,
    ...(regex !== undefined ? { regex } : {}),
    ...(secretGroup !== undefined ? { secretGroup } : {}),
    ...(entropy !== undefined ? { entropy } : {}),
    keywords,
    ...(path !== undefined ? { path } : {}),
    ...(place !== undefined ? { place } : {}),
    allowlists,
    tags: stringList(raw.tags, `${subject}.tags`, file, problems),
    severity,
    confidence,
    examples: exampleList(raw.examples, 'examples', report),
    counterexamples: exampleList(raw.counterexamples, 'counterexamples', report),
    ...(validator !== undefined ? { validator } : {}),
    ...(remediation !== undefined ? { remediation } : {}),
    source: file,
  };
}

function parseAllowlist(raw: unknown, owner: string, file: string, problems: ConfigProblem[]): AllowlistSpec | undefined {
  if (!isTable(raw)) {
    problems.push({ level: 'error', file, subject: owner, message: `${owner}: an allowlist must be a table` });
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!ALLOWLIST_FIELDS.has(key)) problems.push({ level: 'warning', file, subject: owner, message: `${owner}: unknown allowlist field '${key}' is ignored` });
  }
  const condition = String(raw.condition ?? 'OR').toUpperCase();
  const regexTarget = String(raw.regexTarget ?? 'secret').toLowerCase();
  if (condition !== 'OR' && condition !== 'AND') problems.push({ level: 'error', file, subject: owner, message: `${owner}: allowlist condition must be OR or AND` });
  if (!['secret', 'match', 'line'].includes(regexTarget)) problems.push({ level: 'error', file, subject: owner, message: `${owner}: allowlist regexTarget must be secret, match or line` });
  const targetRules = stringList(raw.targetRules, `${owner}.allowlist.targetRules`, file, problems);
  if (owner !== GLOBAL && targetRules.length > 0) {
    problems.push({ level: 'warning', file, subject: owner, message: `${owner}: 'targetRules' is read only on global [[allowlists]] (gitleaks); here it is ignored and the allowlist applies to ${owner} alone` });
  }
  const regexes = stringList(raw.regexes, `${owner}.allowlist.regexes`, file, problems);
  const paths = stringList(raw.paths, `${owner}.allowlist.paths`, file, problems);
  for (const pattern of [...regexes, ...paths]) {
    try {
      re2(pattern);
    } catch (err) {
      problems.push({ level: 'error', file, subject: owner, message: `${owner}: allowlist pattern ${JSON.stringify(pattern)} is not valid RE2 (${(err as Error).message})` });
    }
  }
  return {
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    condition: condition === 'AND' ? 'AND' : 'OR',
    regexTarget: regexTarget as AllowlistSpec['regexTarget'],
    regexes,
    paths,
    stopwords: stringList(raw.stopwords, `${owner}.allowlist.stopwords`, file, problems).map((s) => s.toLowerCase()),
    commits: stringList(raw.commits, `${owner}.allowlist.commits`, file, problems),
    ...(owner === GLOBAL && targetRules.length > 0 ? { targetRules } : {}),
  };
}

/** Number of capture groups: an added empty alternative matches '' and the match array holds every group. */
export function countGroups(pattern: string): number {
  return (new RE2(`(?:${pattern})|`).exec('')?.length ?? 1) - 1;
}

type Report = (level: ConfigProblem['level'], message: string) => void;

function optionalString(v: unknown, name: string, report: Report): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  report('error', `'${name}' must be a string`);
  return undefined;
}

function optionalNumber(v: unknown, name: string, report: Report): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  report('error', `'${name}' must be a number`);
  return undefined;
}

function enumValue<T extends string>(v: unknown, allowed: readonly T[], fallback: T, name: string, report: Report): T {
  if (v === undefined) return fallback;
  const s = String(v).toLowerCase() as T;
  if (allowed.includes(s)) return s;
  report('error', `'${name}' must be one of ${allowed.join(', ')}`);
  return fallback;
}

function stringList(v: unknown, name: string, file: string, problems: ConfigProblem[]): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  problems.push({ level: 'error', file, subject: name, message: `${name}: must be a list of strings` });
  return [];
}

function exampleList(v: unknown, name: string, report: Report): RuleExample[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    report('error', `'${name}' must be a list`);
    return [];
  }
  return v.flatMap((x): RuleExample[] => {
    if (typeof x === 'string') return [{ text: x }];
    if (isTable(x) && typeof x.text === 'string') return [{ text: x.text, ...(typeof x.path === 'string' ? { path: x.path } : {}) }];
    report('error', `each of '${name}' must be a string or { text, path }`);
    return [];
  });
}
