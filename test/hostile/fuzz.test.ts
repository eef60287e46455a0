// Property fuzzing (fast-check, fixed seed, bounded runs): random bytes and mutated fixtures never make a parser or the detector throw.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIgnoreFile } from '../../src/config/ignore-file.js';
import { parseRuleFile } from '../../src/config/parse-rules.js';
import type { Detector } from '../../src/detect/detector.js';
import { parseReport } from '../../src/report/parse.js';
import { decodeForScan } from '../../src/sources/read-file.js';
import { ciLogChunks, cleanLogLine } from '../../src/sources/ci-logs.js';
import { chunksForFile } from '../../src/sources/file-chunks.js';
import { builtinDetector, REPO_ROOT } from '../helpers/detector.js';

const SEED = 20261125;
const RUNS = 300;
const params = { seed: SEED, numRuns: RUNS };

/** Every small text fixture of the repository: the seeds the mutations start from. */
function fixtureTexts(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.size < 64 * 1024) out.push(readFileSync(p).toString('utf8'));
    }
  };
  walk(join(REPO_ROOT, 'fixtures'));
  for (const name of readdirSync(join(REPO_ROOT, 'rules')).sort().slice(0, 10)) out.push(readFileSync(join(REPO_ROOT, 'rules', name), 'utf8'));
  return out;
}

const FIXTURES = fixtureTexts();

/** A fixture with random edits: bytes inserted, deleted or replaced, pieces duplicated or cut. */
const mutated: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...FIXTURES),
    fc.array(
      fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace', 'duplicate', 'truncate'), fc.string({ unit: 'binary', maxLength: 16 })),
      { minLength: 1, maxLength: 8 },
    ),
  )
  .map(([text, edits]) => {
    let s = text;
    for (const [at, op, piece] of edits) {
      const i = s.length ? at % s.length : 0;
      if (op === 'insert') s = s.slice(0, i) + piece + s.slice(i);
      else if (op === 'delete') s = s.slice(0, i) + s.slice(i + piece.length + 1);
      else if (op === 'replace') s = s.slice(0, i) + piece + s.slice(i + piece.length);
      else if (op === 'duplicate') s = s.slice(0, i) + s.slice(i, i + 200) + s.slice(i);
      else s = s.slice(0, i);
    }
    return s;
  });

/** Random bytes read as a file would be (UTF-8 with replacement, or UTF-16 after a BOM). */
const randomText: fc.Arbitrary<string> = fc.uint8Array({ maxLength: 2048 }).map((bytes) => {
  const read = decodeForScan(Buffer.from(bytes), 'fuzz.bin');
  return 'text' in read ? read.text : Buffer.from(bytes).toString('latin1');
});

const anyText = fc.oneof(mutated, randomText, fc.string({ unit: 'binary', maxLength: 512 }));

/** A path per format chunksForFile knows, so every parser gets the input. */
const PATHS = ['Dockerfile', 'docker-compose.yml', 'kustomization.yaml', 'k8s/deploy.yaml', 'charts/app/values.yaml', 'build.log', 'notes.txt', 'config.json'];

let detector: Detector;
beforeAll(async () => {
  detector = await builtinDetector();
});

describe(`fuzz (seed ${SEED}, ${RUNS} runs per target)`, () => {
  it('the detector', () => {
    fc.assert(fc.property(anyText, (text) => {
      const lines = text.split(/\r\n|\r|\n/).length;
      for (const f of detector.detect({ text, provenance: { kind: 'file', path: 'fuzz.txt' } })) {
        expect(f.location.startLine).toBeGreaterThan(0);
        expect(f.location.endLine).toBeLessThanOrEqual(lines);
      }
    }), params);
  });

  it('chunksForFile, every format: no throw, and no parser fell over into its fallback', () => {
    fc.assert(fc.property(fc.constantFrom(...PATHS), fc.oneof(mutated, randomText), (path, text) => {
      const { chunks, notes } = chunksForFile(path, text);
      for (const chunk of chunks) detector.detect(chunk);
      expect(notes.filter((n) => n.message.startsWith('could not read as'))).toEqual([]);
    }), params);
  });

  it('parseRuleFile: problems, never exceptions', () => {
    fc.assert(fc.property(anyText, (text) => {
      const parsed = parseRuleFile(text, 'fuzz.toml');
      expect(Array.isArray(parsed.problems)).toBe(true);
    }), params);
  });

  it('parseIgnoreFile', () => {
    fc.assert(fc.property(anyText, (text) => {
      parseIgnoreFile(text);
    }), params);
  });

  it('parseReport: a result, or an Error naming the file', () => {
    const reports = FIXTURES.filter((t) => t.trimStart().startsWith('{'));
    const input = fc.oneof(anyText, fc.tuple(fc.constantFrom(...reports), fc.nat(), fc.string({ maxLength: 8 })).map(([t, at, s]) => t.slice(0, at % t.length) + s + t.slice(at % t.length)), fc.json());
    fc.assert(fc.property(input, (text) => {
      try {
        parseReport(text, 'fuzz.json');
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).constructor).toBe(Error);
        expect((err as Error).message.startsWith('fuzz.json: ')).toBe(true);
      }
    }), params);
  });

  it('the CI-log cleaner and chunker', () => {
    fc.assert(fc.property(anyText, (text) => {
      for (const line of text.split('\n')) cleanLogLine(line);
      for (const chunk of ciLogChunks(text, { kind: 'file', path: 'job.log' })) detector.detect(chunk);
    }), params);
  });
});

