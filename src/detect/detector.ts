// The detection engine: an RE2.Set keyword prefilter, then each candidate rule's RE2 for spans and groups.
import { createHash } from 'node:crypto';
import RE2 from 're2';
import { Secret } from '../secret.js';
import type { AllowlistSpec, Chunk, ConfigProblem, Finding, Location, RuleMeta, RuleSpec, ScanNote } from '../types.js';
import type { CompiledAllowlist } from './allowlist.js';
import { compileAllowlists, compileRules, escapeRegex, type CompiledRule } from './compile.js';
import { findingConfidence } from './confidence.js';
import { shannonEntropy } from './entropy.js';
import { fingerprint } from './fingerprint.js';
import { identifierBefore } from './identifier.js';
import type { LearnedModel } from './learned/model.js';
import { changedLines, editWindows } from './edit-lines.js';
import { lineReach, type LineReach } from './line-reach.js';
import { LineIndex } from './line-index.js';
import { maskSpans } from './mask.js';
import { isPlaceholder } from './placeholder.js';
import { Utf8Offsets } from './utf8-offsets.js';
import { valueLikeSpans } from './value-like.js';

/** Bumped when the engine's matching semantics change: part of `Detector.version` (caches key on it). */
const ENGINE_VERSION = 2;
/** Findings of one rule in one chunk beyond this are dropped, with a note. */
export const MAX_FINDINGS_PER_RULE = 1000;
/** Matches of one rule examined in one chunk (accepted or rejected): bounds the work; beyond it, a note. */
export const MAX_MATCHES_PER_RULE = 100_000;
const CONTEXT_CHARS = 200;
/** An edit's windows are matched one by one when they hold less than this share of its text. */
const WINDOWED_SHARE = 0.8;
const INLINE_ALLOW = ['spillway:allow', 'gitleaks:allow'];

export interface Detector {
  /**
   * Findings in one chunk, sorted by position. Pure and synchronous. When a rule's findings or matches in the
   * chunk are cut at a limit, a warning saying so is pushed to `notes` (when given).
   */
  detect(chunk: Chunk, notes?: ScanNote[]): Finding[];
  /** Metadata of every compiled rule, for reporters. */
  rules: RuleMeta[];
  /** Hash of the compiled rule set and engine semantics (caches key on it). */
  version: string;
  /** The fingerprint a finding of `ruleId` at `path` with this secret gets. */
  fingerprintOf(ruleId: string, path: string, secret: string): string;
  /** Ids of the path- or place-bound rules that apply to a chunk: with its text, what decides the result. */
  contextKey(chunk: Chunk): string;
  /**
   * `detect(chunk, notes)`, the same findings and notes, for a history blob that may be an edit of `base`.
   * For a whole plain text it also returns its UTF-8 bytes and which rules have no match at all in them (`quiet`); a rule
   * quiet in `base` whose matches hold a bounded number of line breaks is matched only in windows around
   * the lines that differ from `base` (docs/git.md, "Scanning edits").
   */
  detectEdit(chunk: Chunk, base: EditBase | undefined, notes?: ScanNote[]): { findings: Finding[]; quiet?: EditBase };
}

/**
 * The UTF-8 bytes of a whole plain text, the rules (by catalogue index) that have no match in them at all, and
 * the prefilter's keywords (by index) that occur in them, or may: a superset.
 */
export interface EditBase {
  bytes: Buffer;
  quiet: ReadonlySet<number>;
  keywords: ReadonlySet<number>;
}

/** Windows of an edit to match a rule in, and the changed lines a match must touch (edit-lines.ts). */
interface EditScope {
  windows: { from: number; to: number; changedUntil: number }[];
  changed: readonly [number, number][];
}

export interface DetectorOptions {
  fingerprintKey: Buffer;
}

interface Candidate {
  rule: CompiledRule;
  order: number;
  start: number;
  end: number;
  finding: Finding;
}

/** Compiles the rule set once; the returned detector is reused for every chunk. */
export function createDetector(
  config: { rules: RuleSpec[]; allowlists: AllowlistSpec[]; learned?: LearnedModel },
  opts: DetectorOptions,
): { detector: Detector; problems: ConfigProblem[] } {
  const { rules, problems } = compileRules(config.rules);
  const globalAllowlists = compileAllowlists(config.allowlists);
  const prefilter = buildPrefilter(rules);
  const pathRules = rules.filter((r) => r.spec.regex === undefined);
  const ruleOrder = new Map(rules.map((r, i) => [r, i]));
  const key = opts.fingerprintKey;
  const version = createHash('sha256')
    .update(JSON.stringify({ ENGINE_VERSION, rules: config.rules.map(({ examples: _e, counterexamples: _c, source: _s, ...r }) => r), allowlists: config.allowlists, learned: config.learned ?? null }))
    .digest('hex')
    .slice(0, 16);

  const detect = (chunk: Chunk, notes?: ScanNote[]): Finding[] => {
    if (chunk.pathOnly) {
      const ctx = new MatchContext(chunk, key, globalAllowlists, config.learned);
      const found: Candidate[] = [];
      for (const rule of pathRules) if (appliesTo(rule, chunk)) pathOnlyFinding(rule, ctx, found, ruleOrder.get(rule) ?? 0);
      return found.map((c) => withMaskedContext(c, found, ctx));
    }
    if (chunk.text.length === 0) return [];
    // RE2 converts a string to UTF-8 on every call: match the UTF-8 bytes, made once, and map match offsets back
    // to the text's (for ASCII text, byte and UTF-16 offsets agree).
    const input = chunk.asciiBytes ?? Buffer.from(chunk.text, 'utf8');
    const offsets = input.length === chunk.text.length ? undefined : new Utf8Offsets(input);
    const found: Candidate[] = [];
    const ctx = new MatchContext(chunk, key, globalAllowlists, config.learned);
    for (const rule of prefilter.candidates(input, chunk)) {
      if (rule.spec.regex !== undefined) matchRule(rule, input, offsets, ctx, found, ruleOrder.get(rule) ?? 0, notes);
      else pathOnlyFinding(rule, ctx, found, ruleOrder.get(rule) ?? 0);
    }
    return dropOverlaps([...found]).map((c) => withMaskedContext(c, found, ctx));
  };

  const reaches = new Map<CompiledRule, LineReach>();
  const reachOf = (rule: CompiledRule): LineReach => {
    let reach = reaches.get(rule);
    if (!reach) reaches.set(rule, (reach = lineReach(rule.spec.regex!)));
    return reach;
  };
  const detectEdit = (chunk: Chunk, base: EditBase | undefined, notes?: ScanNote[]): { findings: Finding[]; quiet?: EditBase } => {
    if (!wholeText(chunk) || chunk.text.length === 0) return { findings: detect(chunk, notes) };
    const input = chunk.asciiBytes ?? Buffer.from(chunk.text, 'utf8');
    const offsets = input.length === chunk.text.length ? undefined : new Utf8Offsets(input);
    const found: Candidate[] = [];
    const ctx = new MatchContext(chunk, key, globalAllowlists, config.learned);
    const quiet = new Set<number>();
    // Keywords of an edit: those of its base (a keyword on an unchanged line is on a line of the base) and
    // those on its changed lines, which surely occur. A rule picked by a base keyword alone applies only if the
    // keyword is still there: looked for in the whole text once such a rule matches.
    // An edit that changes most of the text is matched whole: its windows would cover more than that.
    const changed = base && changedLines(base.bytes, input, input.length * WINDOWED_SHARE);
    const narrowed = changed !== undefined && !prefilter.keywordsSpanLines;
    const fresh = new Set(narrowed ? prefilter.keywordsIn(input, changed) : prefilter.keywordsIn(input));
    const present = narrowed ? new Set([...base!.keywords, ...fresh]) : fresh;
    const applies = (rule: CompiledRule): boolean => {
      const mine = prefilter.keywordsOf(rule);
      return !narrowed || mine.length === 0 || mine.some((k) => fresh.has(k)) || prefilter.holdsKeywordOf(rule, input);
    };
    // The windows of the edit for a bound on line breaks (null: matched whole), shared by the rules of that bound.
    const windowsFor = new Map<number, EditScope['windows'] | null>();
    for (const rule of prefilter.rulesWith(present, chunk)) {
      const order = ruleOrder.get(rule) ?? 0;
      if (rule.spec.regex === undefined) {
        if (applies(rule)) pathOnlyFinding(rule, ctx, found, order);
        continue;
      }
      const reach = changed && base!.quiet.has(order) ? reachOf(rule) : undefined;
      let scope: EditScope | undefined;
      if (reach && Number.isFinite(reach.breaks) && !reach.startAnchored) {
        let windows = windowsFor.get(reach.breaks);
        if (windows === undefined) {
          const all = editWindows(input, changed!, reach.breaks);
          // Windows over nearly all of the text: one whole match costs less.
          windows = all.reduce((n, w) => n + w.to - w.from, 0) < input.length * WINDOWED_SHARE ? all : null;
          windowsFor.set(reach.breaks, windows);
        }
        if (windows) scope = { windows, changed: changed! };
      }
      const ruleFound: Candidate[] = [];
      const ruleNotes: ScanNote[] = [];
      const matches = matchRule(rule, input, offsets, ctx, ruleFound, order, notes && ruleNotes, scope);
      if (matches === 0) quiet.add(order);
      else if (applies(rule)) {
        found.push(...ruleFound);
        notes?.push(...ruleNotes);
      }
    }
    return { findings: dropOverlaps([...found]).map((c) => withMaskedContext(c, found, ctx)), quiet: { bytes: input, quiet, keywords: present } };
  };

  const contextKey = (chunk: Chunk): string =>
    rules
      .filter((r) => (r.path || r.place) && appliesTo(r, chunk))
      .map((r) => r.spec.id)
      .join(',');

  return {
    detector: {
      detect,
      rules: rules.map(({ spec }) => ({
        id: spec.id,
        description: spec.description,
        severity: spec.severity,
        tags: spec.tags,
        ...(spec.remediation !== undefined ? { remediation: spec.remediation } : {}),
      })),
      version,
      fingerprintOf: (ruleId, path, secret) => fingerprint(key, ruleId, path, secret),
      contextKey,
      detectEdit,
    },
    problems,
  };
}

function appliesTo(rule: CompiledRule, chunk: Chunk): boolean {
  if (rule.path && !rule.path.test(chunk.provenance.path)) return false;
  if (rule.place && (chunk.place === undefined || !rule.place.test(chunk.place))) return false;
  return true;
}

/**
 * Keyword prefilter: one RE2.Set pass finds which keywords occur; the rules that name them are the candidates.
 * NOTE: a second RE2.Set over the candidates' own patterns was measured and dropped: with the full catalogue
 * the combined automaton outgrows RE2's DFA budget and that one pass cost ten times more than running the
 * few candidates one by one (docs/architecture.md, "Detection speed").
 */
function buildPrefilter(rules: CompiledRule[]) {
  const keywords = [...new Set(rules.flatMap((r) => r.spec.keywords))];
  const keywordSet = keywords.length > 0 ? new RE2.Set(keywords.map(escapeRegex), 'i') : undefined;
  // One pass over the rules (a filter per keyword cost 20 ms at every start with the catalogue's 300 keywords).
  const slot = new Map(keywords.map((k, i) => [k, i]));
  const byKeyword: CompiledRule[][] = keywords.map(() => []);
  for (const r of rules) for (const k of new Set(r.spec.keywords)) byKeyword[slot.get(k)!]!.push(r);
  const always = rules.filter((r) => r.spec.keywords.length === 0);
  const keywordsOfRule = new Map(rules.map((r) => [r, [...new Set(r.spec.keywords)].map((k) => slot.get(k)!)]));
  const keywordTests = new Map<CompiledRule, RE2>();
  const rulesWith = (found: Iterable<number>, chunk: Chunk): CompiledRule[] => {
    const picked = new Set(always);
    for (const k of found) for (const r of byKeyword[k]!) picked.add(r);
    return [...picked].filter((r) => appliesTo(r, chunk));
  };
  /** Indices of the keywords in `input`, or in the given ranges of it (merged where they nearly meet). */
  const keywordsIn = (input: Buffer, ranges?: readonly [number, number][]): number[] => {
    if (!keywordSet) return [];
    if (!ranges) return keywordSet.match(input);
    const found = new Set<number>();
    for (let i = 0; i < ranges.length; ) {
      const from = ranges[i]![0];
      let to = ranges[i]![1];
      for (i++; i < ranges.length && ranges[i]![0] <= to + KEYWORD_RANGE_GAP; i++) to = ranges[i]![1];
      for (const k of keywordSet.match(input.subarray(from, to))) found.add(k);
    }
    return [...found];
  };
  return {
    candidates: (input: Buffer, chunk: Chunk): CompiledRule[] => rulesWith(keywordsIn(input), chunk),
    rulesWith,
    keywordsIn,
    keywordsOf: (rule: CompiledRule): number[] => keywordsOfRule.get(rule) ?? [],
    /** Whether `input` holds one of the rule's keywords (as the prefilter matches them): stops at the first. */
    holdsKeywordOf: (rule: CompiledRule, input: Buffer): boolean => {
      let re = keywordTests.get(rule);
      if (!re) keywordTests.set(rule, (re = new RE2(rule.spec.keywords.map(escapeRegex).join('|'), 'i')));
      return re.test(input);
    },
    /** Whether a keyword holds a line break: then an edit's keywords are not those of its lines. */
    keywordsSpanLines: keywords.some((k) => /[\r\n]/.test(k)),
  };
}

/** Changed ranges of an edit closer than this are searched for keywords as one. */
const KEYWORD_RANGE_GAP = 1024;

/** Per-chunk state shared by every rule: the line index is built only once a match needs it. */
class MatchContext {
  private index?: LineIndex;
  private readonly allowedLines = new Map<string, boolean>();
  readonly path: string;
  readonly commit?: string;

  constructor(
    readonly chunk: Chunk,
    readonly key: Buffer,
    readonly globalAllowlists: CompiledAllowlist[],
    readonly learned?: LearnedModel,
  ) {
    this.path = chunk.provenance.path;
    if ('commit' in chunk.provenance) this.commit = chunk.provenance.commit;
  }

  get lines(): LineIndex {
    this.index ??= new LineIndex(this.chunk.text);
    return this.index;
  }

  /** Original 1-based line of a 0-based chunk line. */
  originalLine(line: number): number {
    return this.chunk.lineMap?.[line] ?? (this.chunk.startLine ?? 1) + line;
  }

  /** Original 1-based column of an offset on 0-based chunk line `line`. */
  originalColumn(line: number, offset: number): number {
    const col = offset - this.lines.lineStart(line) + 1;
    return line === 0 ? col + (this.chunk.startColumn ?? 1) - 1 : col;
  }

  location(start: number, end: number): Location {
    const d = this.chunk.decodedFrom;
    if (d) return { path: this.path, startLine: d.line, startColumn: d.column, endLine: d.line, endColumn: d.endColumn };
    const sLine = this.lines.lineOf(start);
    const eLine = this.lines.lineOf(Math.max(start, end - 1));
    const joinedAt = this.chunk.joinedAt;
    if (joinedAt !== undefined && end > joinedAt) {
      const line = this.originalLine(0);
      return { path: this.path, startLine: line, startColumn: this.originalColumn(0, start), endLine: line + 1, endColumn: end - joinedAt + 1 };
    }
    return {
      path: this.path,
      startLine: this.originalLine(sLine),
      startColumn: this.originalColumn(sLine, start),
      endLine: this.originalLine(eLine),
      endColumn: this.originalColumn(eLine, end),
    };
  }

  /** Whether the lines of a match hold an inline allow marker; remembered per line span (a long line has many matches). */
  inlineAllowed(start: number, end: number): boolean {
    const key = `${this.lines.lineOf(start)}:${this.lines.lineOf(Math.max(start, end - 1))}`;
    let allowed = this.allowedLines.get(key);
    if (allowed === undefined) {
      const lines = this.linesAround(start, end);
      allowed = INLINE_ALLOW.some((marker) => lines.includes(marker));
      this.allowedLines.set(key, allowed);
    }
    return allowed;
  }

  /** Whole lines from the line of `start` to the line of `end`. */
  linesAround(start: number, end: number): string {
    const sLine = this.lines.lineOf(start);
    const eLine = this.lines.lineOf(Math.max(start, end - 1));
    return this.chunk.text.slice(this.lines.lineStart(sLine), this.lines.lineEnd(eLine));
  }

  /** Offsets of the lines of the secret, cut to a window around it on very long (minified) lines. */
  contextSpan(start: number, end: number): [number, number] {
    const sLine = this.lines.lineOf(start);
    const eLine = this.lines.lineOf(Math.max(start, end - 1));
    return [Math.max(this.lines.lineStart(sLine), start - CONTEXT_CHARS), Math.min(this.lines.lineEnd(eLine), end + CONTEXT_CHARS)];
  }
}

/** Whether a chunk is a whole plain file, what an edit is compared with line by line. */
function wholeText(chunk: Chunk): boolean {
  return !chunk.pathOnly && chunk.place === undefined && !chunk.decodedFrom && chunk.lineMap === undefined && chunk.joinedAt === undefined &&
    (chunk.startLine ?? 1) === 1 && (chunk.startColumn ?? 1) === 1;
}

/**
 * Matches `rule` over the chunk's UTF-8 `input` (`offsets` maps byte offsets to the text's when it is not ASCII),
 * or, with `scope`, over its windows only (each a view of the bytes, so that no search runs past it), keeping the
 * matches that touch a changed line: those are the whole text's matches (docs/git.md). The limits count those
 * matches, as over the whole text. Returns the matches counted.
 */
function matchRule(
  rule: CompiledRule,
  input: Buffer,
  offsets: Utf8Offsets | undefined,
  ctx: MatchContext,
  out: Candidate[],
  order: number,
  notes?: ScanNote[],
  scope?: EditScope,
): number {
  const re = rule.regex!;
  const { text } = ctx.chunk;
  const at = (byte: number): number => (offsets ? offsets.toText(byte) : byte);
  let matches = 0;
  let accepted = 0;
  let nextChanged = 0;
  scan: for (const { from, to, changedUntil } of scope?.windows ?? [{ from: 0, to: input.length, changedUntil: input.length }]) {
    const view = scope ? input.subarray(from, to) : input;
    re.lastIndex = 0;
    for (let m = re.exec(view); m !== null; m = re.exec(view)) {
      const indices = scope ? shifted(m.indices!, from) : m.indices!;
      const [mStartByte, mEndByte] = indices[0]!;
      if (scope) {
        // The last changed line is the text's last: it holds the end of the text too (an empty match there).
        if (mStartByte >= changedUntil && changedUntil < input.length) break;
        const changed = scope.changed;
        while (changed[nextChanged]![1] <= mStartByte && changed[nextChanged]![1] < input.length) nextChanged++;
        if (changed[nextChanged]![0] > mEndByte) {
          if (mEndByte === mStartByte) re.lastIndex = (offsets ? offsets.nextBoundary(mEndByte) : mEndByte + 1) - from;
          continue;
        }
      }
      if (matches++ >= MAX_MATCHES_PER_RULE || accepted >= MAX_FINDINGS_PER_RULE) {
        notes?.push(cutNote(rule, ctx, at(mStartByte), accepted >= MAX_FINDINGS_PER_RULE));
        break scan;
      }
      if (mEndByte === mStartByte) {
        re.lastIndex = (offsets ? offsets.nextBoundary(mEndByte) : mEndByte + 1) - (scope ? from : 0);
        continue;
      }
      const span = secretSpan(indices, rule.spec.secretGroup);
      if (!span) continue;
      const start = at(span[0]);
      const end = at(span[1]);
      const joinedAt = ctx.chunk.joinedAt;
      if (joinedAt !== undefined && !(start < joinedAt && end > joinedAt)) continue;
      const secret = text.slice(start, end);
      const candidate = evaluate(rule, ctx, secret, start, end, at(mStartByte), at(mEndByte), order);
      if (candidate) {
        out.push(candidate);
        accepted++;
      }
    }
  }
  return matches;
}

/** Match offsets in a view starting at `shift`, as offsets in the whole input. */
function shifted(indices: RegExpIndicesArray, shift: number): RegExpIndicesArray {
  return Object.assign(indices.map((g) => (g ? [g[0] + shift, g[1] + shift] : g)), { groups: indices.groups }) as RegExpIndicesArray;
}

/** The warning for a rule's matches cut at a limit in a chunk, from the line the cut is at. */
function cutNote(rule: CompiledRule, ctx: MatchContext, at: number, tooManyFindings: boolean): ScanNote {
  const line = ctx.location(at, at + 1).startLine;
  const why = tooManyFindings
    ? `${MAX_FINDINGS_PER_RULE} findings reported`
    : `${MAX_MATCHES_PER_RULE} matches examined (most of them rejected)`;
  return { level: 'warning', input: ctx.path, message: `rule ${rule.spec.id}: ${why}; from line ${line} on, the rest is not checked for this rule` };
}

/** gitleaks: the secretGroup if set, else the first non-empty capture group, else the whole match. */
function secretSpan(indices: RegExpIndicesArray, secretGroup: number | undefined): [number, number] | undefined {
  if (secretGroup !== undefined && secretGroup > 0) {
    const g = indices[secretGroup];
    return g && g[1] > g[0] ? g : undefined;
  }
  for (let i = 1; i < indices.length; i++) {
    const g = indices[i];
    if (g && g[1] > g[0]) return g;
  }
  return indices[0];
}

/** Rules tagged `name-only` report a name or path that refers to a secret (`ARG NPM_TOKEN`, `COPY .env`). */
const NAME_ONLY_NOTE = 'No secret value is written here: the finding is a name or path that refers to one.';

function evaluate(
  rule: CompiledRule,
  ctx: MatchContext,
  secret: string,
  start: number,
  end: number,
  mStart: number,
  mEnd: number,
  order: number,
): Candidate | undefined {
  const { spec } = rule;
  const nameOnly = spec.tags.includes('name-only');
  const entropy = shannonEntropy(secret);
  if (spec.entropy !== undefined && entropy < spec.entropy) return undefined;
  if (isPlaceholder(secret)) return undefined;
  if (ctx.inlineAllowed(mStart, mEnd)) return undefined;
  const { text } = ctx.chunk;
  const subject = {
    secret,
    match: text.slice(mStart, mEnd),
    line: ctx.linesAround(start, end),
    path: ctx.path,
    ...(ctx.commit !== undefined ? { commit: ctx.commit } : {}),
    ruleId: spec.id,
  };
  if (rule.allowlists.some((a) => a.allows(subject)) || ctx.globalAllowlists.some((a) => a.allows(subject))) return undefined;
  const verdict = rule.validator?.(secret) ?? 'unknown';
  if (verdict === 'invalid') return undefined;
  const lineStart = ctx.lines.lineStart(ctx.lines.lineOf(start));
  const identifier = identifierBefore(text.slice(Math.max(lineStart, start - 160), start));
  const { chunk } = ctx;
  const line = ctx.chunk.text.slice(...ctx.contextSpan(start, end));
  const candidate = { secret, path: ctx.path, line, ...(identifier !== undefined ? { identifier } : {}), ...(chunk.place !== undefined ? { place: chunk.place } : {}) };
  const confidence = findingConfidence(rule, verdict, candidate, ctx.learned);
  if (confidence === undefined) return undefined;
  const finding: Finding = {
    ruleId: spec.id,
    description: spec.description,
    severity: spec.severity,
    confidence,
    location: ctx.location(start, end),
    provenance: chunk.provenance,
    secret: new Secret(secret),
    match: new Secret(subject.match),
    line: new Secret(line),
    ...(identifier !== undefined ? { identifier } : {}),
    entropy: Math.round(entropy * 100) / 100,
    ...(chunk.place !== undefined ? { place: chunk.place } : {}),
    ...(chunk.decodedFrom ? { decodedFrom: chunk.decodedFrom.encoding } : {}),
    ...(verdict === 'valid' ? { validation: 'checksum-valid' as const } : {}),
    ...(chunk.note !== undefined || nameOnly ? { message: [chunk.note, nameOnly ? NAME_ONLY_NOTE : undefined].filter(Boolean).join(' ') } : {}),
    fingerprint: fingerprint(ctx.key, spec.id, ctx.path, secret),
    tags: spec.tags,
  };
  return { rule, order, start, end, finding };
}

/** A rule with only a `path`: the file's name is the leak (e.g. a committed private key file). */
function pathOnlyFinding(rule: CompiledRule, ctx: MatchContext, out: Candidate[], order: number): void {
  const { chunk } = ctx;
  if (chunk.place !== undefined || chunk.decodedFrom || (chunk.startLine ?? 1) !== 1) return;
  const { spec } = rule;
  const name = ctx.path;
  if (INLINE_ALLOW.some((m) => chunk.text.slice(0, 4096).includes(m))) return;
  const firstLineEnd = ctx.lines.lineEnd(0);
  const subject = { secret: name, match: name, line: chunk.text.slice(0, firstLineEnd), path: name, ...(ctx.commit !== undefined ? { commit: ctx.commit } : {}), ruleId: spec.id };
  if (rule.allowlists.some((a) => a.allows(subject)) || ctx.globalAllowlists.some((a) => a.allows(subject))) return;
  out.push({
    rule,
    order,
    start: 0,
    end: 0,
    finding: {
      ruleId: spec.id,
      description: spec.description,
      severity: spec.severity,
      confidence: spec.confidence,
      location: { path: name, startLine: 1, startColumn: 1, endLine: 1, endColumn: firstLineEnd + 1 },
      provenance: chunk.provenance,
      secret: new Secret(name),
      match: new Secret(name),
      line: new Secret(chunk.text.slice(0, Math.min(firstLineEnd, CONTEXT_CHARS))),
      fingerprint: fingerprint(ctx.key, spec.id, name, name),
      tags: spec.tags,
    },
  });
}

/**
 * The candidate's finding with its context line masked: every other secret span of the chunk (other
 * rules' findings, matches the overlap rule dropped) and every value-like token in the window, judged with
 * the text around it, is replaced by its redacted form. The finding's own secret stays: reporters show it by --show-secrets.
 */
function withMaskedContext(c: Candidate, all: Candidate[], ctx: MatchContext): Finding {
  if (c.end === c.start) return c.finding;
  const [from, to] = ctx.contextSpan(c.start, c.end);
  const window = ctx.chunk.text.slice(from, to);
  const others = all.filter((o) => o !== c && o.end > from && o.start < to).map((o): [number, number] => [o.start - from, o.end - from]);
  // Value-like spans are sought around the window too: a cut through `GH_TOKEN: '…'` or `scheme://user:…@`
  // leaves a value whose name or scheme lies outside the window, and a value may run past its end.
  const lead = Math.max(0, from - CONTEXT_CHARS);
  const around = ctx.chunk.text.slice(lead, Math.min(ctx.chunk.text.length, to + CONTEXT_CHARS));
  const valueLike = valueLikeSpans(around).map(([s, e]): [number, number] => [s + lead - from, e + lead - from]);
  const spans = [...others, ...valueLike];
  const masked = maskSpans(window, spans, [c.start - from, c.end - from]);
  return masked === window ? c.finding : { ...c.finding, line: new Secret(masked) };
}

/** Rank for identical spans: specific before generic, then rules bound to a place or path, then catalogue order. */
function rank(c: Candidate): number {
  return (isGeneric(c.rule) ? 2 : 0) + (c.rule.place || c.rule.path ? 0 : 1);
}

/** Generic by tag, or by id as gitleaks has it (its `generic-api-key` gives way to any specific rule on the same secret). */
function isGeneric(rule: CompiledRule): boolean {
  return rule.generic || rule.spec.id.toLowerCase().includes('generic');
}

/** Where secret spans overlap, a specific rule wins over a generic one; identical spans keep the best-ranked rule. */
function dropOverlaps(found: Candidate[]): Candidate[] {
  found.sort((a, b) => a.start - b.start || rank(a) - rank(b) || a.order - b.order);
  const kept: Candidate[] = [];
  for (const c of found) {
    const clash = kept.find((k) => k.end > c.start && c.end > k.start && (isGeneric(k.rule) || isGeneric(c.rule) || (k.start === c.start && k.end === c.end)));
    if (!clash) {
      kept.push(c);
    } else if (isGeneric(clash.rule) && !isGeneric(c.rule)) {
      kept.splice(kept.indexOf(clash), 1, c);
    }
  }
  return kept.sort((a, b) => a.start - b.start || a.order - b.order);
}
