// Precision and recall of the built-in catalogue on the labelled corpus (fixtures/corpus): both must stay >= 0.95.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/types.js';
import { builtinDetector, REPO_ROOT } from '../helpers/detector.js';

interface Label {
  path: string;
  line: number;
  ruleId: string | string[];
  kind?: string;
}
interface Decoy {
  path: string;
  line: number;
  why: string;
}
interface Scored {
  truePositives: Finding[];
  falsePositives: Finding[];
  misses: Label[];
  /** Labels found only by a rule other than their first (preferred) id, e.g. by the generic assignment rule. */
  byFallback: Label[];
  precision: number;
  recall: number;
}

const CORPUS = join(REPO_ROOT, 'fixtures', 'corpus');
const FILES = join(CORPUS, 'files');
const MIN = 0.95;

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat().sort();
}

const accepted = (label: Label): string[] => (Array.isArray(label.ruleId) ? label.ruleId : [label.ruleId]);
const where = (f: Finding): string => `${f.location.path}:${f.location.startLine}`;

/** A finding of an accepted rule on a labelled line is a true positive; every other finding is a false positive. */
function score(findings: Finding[], labels: Label[]): Scored {
  const matched = new Map<Label, Set<string>>();
  const truePositives: Finding[] = [];
  const falsePositives: Finding[] = [];
  for (const f of findings) {
    const label = labels.find((l) => l.path === f.location.path && l.line === f.location.startLine && accepted(l).includes(f.ruleId));
    if (label) {
      matched.set(label, (matched.get(label) ?? new Set()).add(f.ruleId));
      truePositives.push(f);
    } else {
      falsePositives.push(f);
    }
  }
  const misses = labels.filter((l) => !matched.has(l));
  const byFallback = [...matched].filter(([l, ids]) => !ids.has(accepted(l)[0]!)).map(([l]) => l);
  const precision = findings.length === 0 ? 0 : truePositives.length / findings.length;
  const recall = labels.length === 0 ? 0 : matched.size / labels.length;
  return { truePositives, falsePositives, misses, byFallback, precision, recall };
}

function summary(s: Scored, decoys: Decoy[]): string {
  const decoyAt = (f: Finding) => decoys.find((d) => d.path === f.location.path && d.line === f.location.startLine);
  const lines = [
    `accuracy corpus: precision ${s.precision.toFixed(3)} (${s.truePositives.length} true / ${s.falsePositives.length} false positives), ` +
      `recall ${s.recall.toFixed(3)} (${s.misses.length} missed)`,
    ...s.falsePositives.map((f) => {
      const d = decoyAt(f);
      return `  false positive ${where(f)} ${f.ruleId}${d ? ` (decoy: ${d.why})` : ''}`;
    }),
    ...s.misses.map((l) => `  missed ${l.path}:${l.line} ${l.kind ?? ''} expected ${accepted(l).join(' | ')}`),
    `${s.byFallback.length} found only by a fallback rule:`,
    ...s.byFallback.map((l) => `  ${l.path}:${l.line} ${l.kind ?? ''} (preferred ${accepted(l)[0]})`),
  ];
  return lines.join('\n');
}

describe('accuracy corpus', () => {
  let labels: Label[];
  let decoys: Decoy[];
  let findings: Finding[];

  beforeAll(async () => {
    labels = JSON.parse(await readFile(join(CORPUS, 'labels.json'), 'utf8')) as Label[];
    decoys = JSON.parse(await readFile(join(CORPUS, 'decoys.json'), 'utf8')) as Decoy[];
    const detector = await builtinDetector();
    findings = [];
    for (const file of await walk(FILES)) {
      const path = relative(FILES, file).split('\\').join('/');
      findings.push(...detector.detect({ text: await readFile(file, 'utf8'), provenance: { kind: 'file', path } }));
    }
  });

  it('holds at least 60 labelled secrets and 60 decoys, all on lines that exist', async () => {
    expect(labels.length).toBeGreaterThanOrEqual(60);
    expect(decoys.length).toBeGreaterThanOrEqual(60);
    for (const item of [...labels, ...decoys]) {
      const lines = (await readFile(join(FILES, item.path), 'utf8')).split('\n');
      expect(item.line, `${item.path}:${item.line}`).toBeLessThanOrEqual(lines.length);
      expect(lines[item.line - 1]!.trim(), `${item.path}:${item.line}`).not.toBe('');
    }
  });

  it(`has precision and recall of at least ${MIN}`, () => {
    const s = score(findings, labels);
    console.log(summary(s, decoys));
    expect(s.precision, summary(s, decoys)).toBeGreaterThanOrEqual(MIN);
    expect(s.recall, summary(s, decoys)).toBeGreaterThanOrEqual(MIN);
  });

  it('scores a missed label and a stray finding against the labels', () => {
    const s = score(findings, labels);
    const stray = { ...s.truePositives[0]!, ruleId: 'no-such-rule' };
    const worse = score([...findings, stray], [...labels, { path: 'nowhere.txt', line: 1, ruleId: 'jwt' }]);
    expect(worse.falsePositives).toContain(stray);
    expect(worse.misses.map((l) => l.path)).toContain('nowhere.txt');
    expect(worse.precision).toBeLessThan(s.precision);
    expect(worse.recall).toBeLessThan(s.recall);
  });

  it('matches what its generator makes from the templates', async () => {
    const out = await mkdtemp(join(tmpdir(), 'spillway-corpus-'));
    try {
      await promisify(execFile)(process.execPath, [join(CORPUS, 'generate.mjs'), out]);
      for (const name of ['labels.json', 'decoys.json']) {
        expect(await readFile(join(out, name), 'utf8'), name).toBe(await readFile(join(CORPUS, name), 'utf8'));
      }
      const generated = (await walk(join(out, 'files'))).map((f) => relative(join(out, 'files'), f));
      expect(generated).toEqual((await walk(FILES)).map((f) => relative(FILES, f)));
      for (const rel of generated) {
        expect(await readFile(join(out, 'files', rel), 'utf8'), rel).toBe(await readFile(join(FILES, rel), 'utf8'));
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
