// Line-level scoring against CredData's labels (/work/shared/creddata/README.md, "Scoring").
// A T item is a distinct (file, LineStart, LineEnd) range with a T row; it is found when a finding starts in it.
// A finding line (file, start line) on a range labelled only F or X is a false positive; on no range, unlabelled.
// The headline view leaves out T items whose only category is UUID (and finding lines that fall only on them).
import { basename, extname } from 'node:path';

const CONFIDENCE_RANK = { low: 0, medium: 1, high: 2 };

/** Groups label rows into ranges per file: `file` is `<repo-id>/<original path>`. */
export function buildTruth(labelled) {
  const files = new Map();
  for (const { file, row } of labelled) {
    let ranges = files.get(file);
    if (!ranges) files.set(file, (ranges = new Map()));
    const key = `${row.lineStart}:${row.lineEnd}`;
    let r = ranges.get(key);
    if (!r) ranges.set(key, (r = { file, lineStart: row.lineStart, lineEnd: row.lineEnd, truths: new Set(), tCategories: new Set(), otherCategories: new Set() }));
    r.truths.add(row.truth);
    for (const c of row.categories) (row.truth === 'T' ? r.tCategories : r.otherCategories).add(c);
  }
  return new Map([...files].map(([f, m]) => [f, [...m.values()].map(finishRange)]));
}

function finishRange(r) {
  const isTrue = r.truths.has('T');
  const categories = [...(isTrue ? r.tCategories : r.otherCategories)].sort();
  return { file: r.file, lineStart: r.lineStart, lineEnd: r.lineEnd, isTrue, categories, uuidOnly: isTrue && categories.length === 1 && categories[0] === 'UUID' };
}

/** Distinct finding lines: file, start line, the rules and the best confidence reported there. */
export function findingLines(findings) {
  const lines = new Map();
  for (const f of findings) {
    const key = `${f.file}\0${f.startLine}`;
    let l = lines.get(key);
    if (!l) lines.set(key, (l = { file: f.file, line: f.startLine, rules: new Set(), confidence: 'low' }));
    l.rules.add(f.ruleId);
    if (CONFIDENCE_RANK[f.confidence] > CONFIDENCE_RANK[l.confidence]) l.confidence = f.confidence;
  }
  return [...lines.values()];
}

const ratio = (a, b) => (b === 0 ? 0 : a / b);
const f1Of = (p, r) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

function metrics(tp, fn, fp) {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { items: tp + fn, tp, fn, fp, precision: round(precision), recall: round(recall), f1: round(f1Of(precision, recall)) };
}
const round = (x) => Math.round(x * 10000) / 10000;

const fileType = (file) => extname(file).toLowerCase() || basename(file);

/**
 * Scores finding lines against the truth. `withUuid` false is the headline view.
 * Returns totals, per category, per file type and per rule, the missed items and the false-positive lines.
 */
export function score(truth, lines, { withUuid }) {
  const counted = (r) => !r.isTrue || withUuid || !r.uuidOnly;
  const found = new Set();
  const fpLines = [];
  const unlabelled = [];
  const byRule = {};
  const ruleCount = (id, kind) => {
    byRule[id] ??= { tp: 0, fp: 0, unlabelled: 0, ignored: 0 };
    byRule[id][kind]++;
  };
  for (const l of lines) {
    const ranges = (truth.get(l.file) ?? []).filter((r) => r.lineStart <= l.line && l.line <= r.lineEnd && counted(r));
    const trueRanges = ranges.filter((r) => r.isTrue);
    const kind = trueRanges.length > 0 ? 'tp' : ranges.length > 0 ? 'fp' : 'unlabelled';
    for (const r of trueRanges) found.add(r);
    if (kind === 'fp') fpLines.push({ ...l, categories: [...new Set(ranges.flatMap((r) => r.categories))].sort() });
    if (kind === 'unlabelled') unlabelled.push(l);
    const uuidIgnored = kind === 'unlabelled' && !withUuid && (truth.get(l.file) ?? []).some((r) => r.uuidOnly && r.lineStart <= l.line && l.line <= r.lineEnd);
    if (uuidIgnored) unlabelled.pop();
    for (const id of l.rules) ruleCount(id, uuidIgnored ? 'ignored' : kind);
  }
  const items = [...truth.values()].flat().filter((r) => r.isTrue && counted(r));
  const misses = items.filter((r) => !found.has(r));
  const tally = (keyOf) => {
    const t = {};
    const cell = (k) => (t[k] ??= { tp: 0, fn: 0, fp: 0 });
    for (const r of items) for (const k of keyOf(r)) cell(k)[found.has(r) ? 'tp' : 'fn']++;
    for (const l of fpLines) for (const k of keyOf(l)) cell(k).fp++;
    return Object.fromEntries(Object.entries(t).sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, metrics(c.tp, c.fn, c.fp)]));
  };
  return {
    total: { ...metrics(items.length - misses.length, misses.length, fpLines.length), unlabelledLines: unlabelled.length },
    byCategory: tally((x) => x.categories),
    byFileType: tally((x) => [fileType(x.file)]),
    byRule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => a.localeCompare(b))),
    misses,
    fpLines,
    unlabelled,
  };
}

/** The headline figures if only findings at or above each confidence were kept. */
export function byMinConfidence(truth, lines, opts) {
  return Object.fromEntries(
    ['low', 'medium', 'high'].map((c) => [c, score(truth, lines.filter((l) => CONFIDENCE_RANK[l.confidence] >= CONFIDENCE_RANK[c]), opts).total]),
  );
}
