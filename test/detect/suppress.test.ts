// Ignore files (ours and gitleaks') and baselines drop exactly the findings they name.
import { describe, expect, test } from 'vitest';
import { parseIgnoreFile } from '../../src/config/ignore-file.js';
import { suppressFindings } from '../../src/detect/suppress.js';
import { Secret } from '../../src/secret.js';
import type { Finding } from '../../src/types.js';

function finding(ruleId: string, path: string, line: number, fingerprint: string, commit?: string): Finding {
  const provenance = commit ? { kind: 'git' as const, path, blob: 'b', commit } : { kind: 'file' as const, path };
  return {
    ruleId, description: ruleId, severity: 'high', confidence: 'high', provenance, fingerprint, tags: [], line: new Secret(''),
    location: { path, startLine: line, startColumn: 1, endLine: line, endColumn: 5 },
    secret: new Secret('s3cr3tValue'), match: new Secret('s3cr3tValue'),
  };
}

describe('suppressFindings', () => {
  const a = finding('r1', 'a.ts', 3, 'r1:a.ts:aaaa');
  const b = finding('r2', 'b.ts', 7, 'r2:b.ts:bbbb', 'c'.repeat(40));
  const c = finding('r3', 'c.ts', 9, 'r3:c.ts:cccc');

  test('our fingerprints and gitleaks locations in the ignore file', () => {
    const ignore = parseIgnoreFile(`# reviewed\nr1:a.ts:aaaa\n${'c'.repeat(40)}:b.ts:r2:7   # old\n`);
    expect(suppressFindings([a, b, c], { ignore })).toEqual({ findings: [c], suppressed: 2 });
  });

  test('a gitleaks entry for another commit or line does not match', () => {
    const ignore = parseIgnoreFile(`${'d'.repeat(40)}:b.ts:r2:7\nc.ts:r3:10\n`);
    expect(suppressFindings([b, c], { ignore }).findings).toEqual([b, c]);
  });

  test('the baseline drops findings already reported', () => {
    expect(suppressFindings([a, b, c], { baseline: new Set(['r2:b.ts:bbbb']) }).findings).toEqual([a, c]);
  });
});
