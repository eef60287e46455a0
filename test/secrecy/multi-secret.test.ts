// Lines that hold two, three and four credentials at once, drawn at random per run: no output of a scan
// (text, JSON, SARIF, GitHub annotations and job summary, --debug, progress, history) shows any of them, not
// the finding's own value, not another finding's, not one that no rule matched. A property test (fast-check)
// tries many more such lines against every reporter.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { historyCommand } from '../../src/cli/commands/history.js';
import { scanCommand } from '../../src/cli/commands/scan.js';
import { renderAnnotations, renderJobSummary } from '../../src/report/github.js';
import { renderJson } from '../../src/report/json.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderText } from '../../src/report/text.js';
import { chunksForFile } from '../../src/sources/file-chunks.js';
import type { Finding, ReportContext } from '../../src/types.js';
import { builtinDetector } from '../helpers/detector.js';
import { runCommand } from '../helpers/run-command.js';
import { commit, initRepo } from '../helpers/temp-git.js';
import { type DrawnSecret, drawSecret, KINDS, LINE_SHAPES, piecesIn, type SecretKind } from './fake-secrets.js';

const scratch = mkdtempSync(join(tmpdir(), 'spillway-multi-secret-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const env = { PATH: process.env.PATH, HOME: scratch, SPILLWAY_FINGERPRINT_KEY: 'multi-secret-key' };

/** `n` different kinds, starting at `offset` in the catalogue of kinds (so every kind meets every other). */
function kindsFor(n: number, offset: number): SecretKind[] {
  return Array.from({ length: n }, (_, i) => KINDS[(offset + i) % KINDS.length]!);
}

/** Writes one file per line shape, each line holding `n` secrets; returns every secret planted. */
function plantTree(dir: string, n: number): DrawnSecret[] {
  mkdirSync(dir, { recursive: true });
  const planted: DrawnSecret[] = [];
  LINE_SHAPES.forEach((shape, i) => {
    const drawn = kindsFor(n, i * n).map(drawSecret);
    planted.push(...drawn);
    writeFileSync(join(dir, shape.path), shape.line(drawn.map((d) => d.kind.assign(d.value))));
  });
  return planted;
}

const randomParts = (planted: DrawnSecret[]): string[] => planted.flatMap((d) => d.random);

describe.each([2, 3, 4])('%i secrets on a line', (n) => {
  it('scan: no format, on stdout or in --output, nor --debug and progress, shows any of them', async () => {
    const tree = join(scratch, `tree-${n}`);
    const planted = plantTree(tree, n);
    const written: Record<string, string> = {};
    for (const format of ['text', 'json', 'sarif']) {
      const file = join(scratch, `report-${n}.${format}`);
      const r = await runCommand(scanCommand, ['scan', tree, '--no-git', '--format', format, '--debug', '--output', file], env, scratch);
      expect(r.code, r.stderr).toBe(1);
      written[`${format} --output`] = readFileSync(file, 'utf8');
      written[`${format} stdout+stderr`] = r.stdout + r.stderr;
    }
    const tty = await runCommand(scanCommand, ['scan', tree, '--no-git'], env, scratch, { isTTY: true });
    written['text on a terminal (colour, progress)'] = tty.stdout + tty.stderr;
    const report = JSON.parse(written['json --output']!) as { findings: { startLine: number; path: string }[] };
    expect(report.findings.length, 'a finding per planted secret a rule knows').toBeGreaterThanOrEqual(planted.length - LINE_SHAPES.length);
    for (const [name, text] of Object.entries(written)) expect(piecesIn(text, randomParts(planted)), name).toEqual([]);
  });

  it('--show-secrets prints the findings in full (so the check above can fail)', async () => {
    const tree = join(scratch, `shown-${n}`);
    const planted = plantTree(tree, n);
    const r = await runCommand(scanCommand, ['scan', tree, '--no-git', '--format', 'json', '--show-secrets'], env, scratch);
    expect(piecesIn(r.stdout, randomParts(planted)).length).toBeGreaterThan(0);
  });

  it('history: text, JSON and SARIF show none of them', async () => {
    const repo = initRepo(join(scratch, `repo-${n}`));
    const tree = join(scratch, `staging-${n}`);
    const planted = plantTree(tree, n);
    commit(repo, 'add config', Object.fromEntries(LINE_SHAPES.map((s) => [s.path, readFileSync(join(tree, s.path), 'utf8')])));
    for (const format of ['text', 'json', 'sarif']) {
      const r = await runCommand(historyCommand, ['history', '--repo', repo, '--format', format, '--debug', '--no-cache'], env, scratch);
      expect(r.code, r.stderr).toBe(1);
      expect(piecesIn(r.stdout + r.stderr, randomParts(planted)), format).toEqual([]);
    }
  });
});

const ctx: ReportContext = { rules: [], info: { root: '/repo', mode: 'files' }, notes: [], toolVersion: '0.0.0', showSecrets: false };
const REPORTERS: [string, (f: Finding[], c: ReportContext) => string][] = [
  ['text', renderText],
  ['json', renderJson],
  ['sarif', renderSarif],
  ['annotations', renderAnnotations],
  ['job summary', renderJobSummary],
];

/** A random secret of a random kind; fast-check shrinks the kind index and the characters. */
const secretArb = fc.record({
  kind: fc.integer({ min: 0, max: KINDS.length - 1 }),
  seed: fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
});
const lineArb = fc.record({
  secrets: fc.uniqueArray(secretArb, { minLength: 2, maxLength: 4, selector: (s) => s.kind }),
  shape: fc.integer({ min: 0, max: LINE_SHAPES.length - 1 }),
  separator: fc.constantFrom(' ', '  ', '\t', ' ; ', ','),
});

/** A kind's value built from fast-check's numbers instead of crypto, so a failure shrinks and replays. */
function fromSeed(kind: SecretKind, seed: number[]): DrawnSecret {
  let at = 0;
  const random = kind.parts.map(([alphabet, len]) => Array.from({ length: len }, () => alphabet[seed[at++ % seed.length]! % alphabet.length]).join(''));
  return { kind, value: kind.value(random), random };
}

describe('property: any mix of 2 to 4 secrets on a line', () => {
  it('no reporter shows 12 characters of any random part', async () => {
    const detector = await builtinDetector();
    let found = 0;
    let lines = 0;
    fc.assert(
      fc.property(lineArb, ({ secrets, shape, separator }) => {
        const drawn = secrets.map((s) => fromSeed(KINDS[s.kind]!, s.seed));
        // Generated credentials are random: a part of one repeated character is no credential to hide.
        fc.pre(drawn.every((d) => d.random.every((part) => new Set(part).size >= Math.min(12, part.length / 2))));
        const { path, line } = LINE_SHAPES[shape]!;
        const text = line(drawn.map((d) => d.kind.assign(d.value)), separator);
        const findings = chunksForFile(path, text).chunks.flatMap((c) => detector.detect(c));
        found += findings.length;
        lines += 1;
        const random = drawn.flatMap((d) => d.random);
        for (const [name, render] of REPORTERS) {
          const leaks = piecesIn(render(findings, ctx), random);
          if (leaks.length > 0) throw new Error(`${name} of ${path} (${drawn.map((d) => d.kind.name).join(', ')}): ${leaks.join('; ')}`);
        }
      }),
      { numRuns: 300 },
    );
    expect(found / lines, 'findings per generated line').toBeGreaterThan(1);
  });
});
