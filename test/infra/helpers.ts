// Scans fixture files the way `spillway scan` does: format-aware file chunks through the built-in detector.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, ScanNote } from '../../src/types.js';
import { chunksForFile } from '../../src/sources/file-chunks.js';
import { builtinDetector, REPO_ROOT } from '../helpers/detector.js';

export const FIXTURES = join(REPO_ROOT, 'fixtures/infra');

/** Findings and notes of one fixture file, `path` relative to fixtures/infra. */
export async function scanFixture(path: string): Promise<{ findings: Finding[]; notes: ScanNote[] }> {
  const detector = await builtinDetector();
  const { chunks, notes } = chunksForFile(path, readFileSync(join(FIXTURES, path), 'utf8'));
  return { findings: chunks.flatMap((chunk) => detector.detect(chunk)), notes };
}

/** `line:column rule place` for each finding, sorted: compact and exact. */
export function summary(findings: Finding[], rules?: readonly string[]): string[] {
  return findings
    .filter((f) => !rules || rules.includes(f.ruleId))
    .sort((a, b) => a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn)
    .map((f) => `${f.location.startLine}:${f.location.startColumn} ${f.ruleId} ${f.place ?? '-'}`);
}
