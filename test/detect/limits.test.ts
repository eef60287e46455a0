// Findings are never lost without a word: rejected matches do not use up a rule's findings, and a cut says so.
import { describe, expect, test } from 'vitest';
import { createDetector, MAX_FINDINGS_PER_RULE, MAX_MATCHES_PER_RULE } from '../../src/detect/detector.js';
import { scanBlob } from '../../src/scan/scan-blob.js';
import type { RuleSpec, ScanNote } from '../../src/types.js';

const TOKEN = 'tok_' + 'q7Wm2Zr9Kx4Lp8Vn3Bc6';
const rule: RuleSpec = {
  id: 'tok', description: 'tok', regex: String.raw`\b(tok_[A-Za-z0-9]{20})\b`, keywords: ['tok_'], entropy: 3,
  allowlists: [], tags: [], severity: 'high', confidence: 'medium', examples: [], counterexamples: [],
};
const { detector } = createDetector({ rules: [rule], allowlists: [] }, { fingerprintKey: Buffer.from('k') });
const decoy = 'tok_aaaaaaaaaaaaaaaaaaaa';

/** A distinct high-entropy token per number. */
function token(i: number): string {
  return `tok_${i.toString(36).padStart(4, '0')}Wm2Zr9Kx4Lp8Vn3B`;
}

function scan(text: string): { found: string[]; notes: ScanNote[] } {
  const notes: ScanNote[] = [];
  const found = detector.detect({ text, provenance: { kind: 'file', path: 'decoys.txt' } }, notes).map((f) => f.secret.reveal());
  return { found, notes };
}

describe('limits per rule and chunk', () => {
  test('finds a real token after 1,500 rejected decoys of the same rule on its line', () => {
    const { found, notes } = scan(`${Array(1500).fill(decoy).join(' ')} ${TOKEN}\n`);
    expect(found).toEqual([TOKEN]);
    expect(notes).toEqual([]);
  });

  test('reports the first findings and a note naming the rule and line when there are too many', () => {
    const lines = Array.from({ length: MAX_FINDINGS_PER_RULE + 5 }, (_, i) => `k${i}=${token(i)}`);
    const { found, notes } = scan(`${lines.join('\n')}\n`);
    expect(found.length).toBe(MAX_FINDINGS_PER_RULE);
    expect(notes).toEqual([{ level: 'warning', input: 'decoys.txt', message: `rule tok: ${MAX_FINDINGS_PER_RULE} findings reported; from line ${MAX_FINDINGS_PER_RULE + 1} on, the rest is not checked for this rule` }]);
  });

  test('stops after the match budget with a note, never silently', () => {
    const { found, notes } = scan(`${Array(MAX_MATCHES_PER_RULE + 1).fill(decoy).join('\n')}\n${TOKEN}\n`);
    expect(found).toEqual([]);
    expect(notes.map((n) => n.message)).toEqual([`rule tok: ${MAX_MATCHES_PER_RULE} matches examined (most of them rejected); from line ${MAX_MATCHES_PER_RULE + 1} on, the rest is not checked for this rule`]);
  });
});

describe('a history blob (scanBlob, as the history workers and the in-process history scan run it)', () => {
  test('passes the cut note on with its findings', () => {
    const lines = Array.from({ length: MAX_FINDINGS_PER_RULE + 5 }, (_, i) => `k${i}=${token(i)}`);
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const result = scanBlob({ path: 'decoys.txt', display: 'decoys.txt (blob 1234)', bytes, size: bytes.length, provenance: { kind: 'git', commit: 'c0ffee', path: 'decoys.txt' } }, detector, 1 << 24);
    expect(result.findings).toHaveLength(MAX_FINDINGS_PER_RULE);
    expect(result.notes.map((n) => n.message)).toContain(`rule tok: ${MAX_FINDINGS_PER_RULE} findings reported; from line ${MAX_FINDINGS_PER_RULE + 1} on, the rest is not checked for this rule`);
  });
});
