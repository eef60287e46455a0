// History blobs scanned as edits of their pack delta bases give what scanning each blob whole gives.
import { describe, expect, it } from 'vitest';
import { createDetector } from '../../src/detect/detector.js';
import { EditBases } from '../../src/scan/edit-bases.js';
import { scanBlob } from '../../src/scan/scan-blob.js';
import { HistorySource } from '../../src/sources/git/history.js';
import type { RuleSpec } from '../../src/types.js';
import { fakeToken, testRules, TEST_KEY } from './detector.js';
import { repoFactory } from './repo.js';

const repo = repoFactory();

// The test token, plus a key block over several lines whose keyword (`begin`) is in its first line only.
const rules: RuleSpec[] = [
  ...testRules(),
  {
    ...testRules()[0]!,
    id: 'test-key-block',
    regex: String.raw`-----BEGIN TEST KEY-----\n((?:[a-z0-9]{16}\n){2,4})-----END TEST KEY-----`,
    keywords: ['begin test key'],
  },
];

function keyBlock(seed: string): string[] {
  const body = fakeToken(seed).slice(4);
  return ['-----BEGIN TEST KEY-----', body.slice(0, 16), fakeToken(seed + 'b').slice(4, 20), '-----END TEST KEY-----'];
}

describe('history edits', () => {
  it('lose nothing: secrets and keywords that arrive in later edits, key blocks completed line by line', async () => {
    const r = repo();
    // More than PACK_ORDER_MIN blobs, so that they are read in pack order with their delta bases.
    // Line continuations (each joined line is a chunk of its own) kept through every version.
    const files = Array.from({ length: 24 }, (_, f) => [
      ...Array.from({ length: 10 }, (_, i) => `run step ${i} --flag \\`),
      ...Array.from({ length: 300 }, (_, i) => `line ${i} of file ${f}: ${'value '.repeat(10)}`),
    ]);
    for (let c = 0; c < 24; c++) {
      const changed: Record<string, string> = {};
      files.forEach((lines, f) => {
        const at = 20 + ((c * 37 + f * 11) % 250);
        if (c % 6 === 1) lines.splice(at, 0, `token = "${fakeToken(`c${c}f${f}`)}"`);
        // A key block whose last line arrives two commits later, and one whose first line (the keyword) arrives later.
        else if (c % 6 === 2) lines.splice(at, 0, ...keyBlock(`k${c}f${f}`).slice(0, 3));
        else if (c % 6 === 4) lines.splice(lines.findIndex((l) => l.startsWith('-----BEGIN')) + 3, 0, '-----END TEST KEY-----');
        else if (c % 6 === 5) lines.splice(at, 0, ...keyBlock(`m${c}f${f}`).slice(1));
        else if (c % 6 === 0 && c > 0) lines.splice(lines.indexOf(keyBlock(`m${c - 1}f${f}`)[1]!), 0, '-----BEGIN TEST KEY-----');
        else if (c % 6 === 3) {
          // A token cut by a line continuation: only the joined chunk holds it whole.
          const token = fakeToken(`j${c}f${f}`);
          lines.splice(at, 0, `curl -H "x: ${token.slice(0, 14)}\\`, `${token.slice(14)}" -o out`);
        } else lines[at] = `changed in ${c}: ${'other '.repeat(8)}`;
        changed[`scripts/file${f}.sh`] = lines.join('\n') + '\n';
      });
      r.commit(`round ${c}`, changed);
    }
    // A real pack: most versions are stored as deltas of another.
    r.git('repack', '-adf', '-q');
    const { detector } = createDetector({ rules, allowlists: [] }, { fingerprintKey: TEST_KEY });

    const scan = async (bases?: EditBases) => {
      const results: unknown[] = [];
      let withBase = 0;
      for await (const file of new HistorySource({ repo: r.dir, revArgs: ['--all'] }).files()) {
        if (bases?.get(file.deltaBase)) withBase++;
        const { findings, notes } = scanBlob(file, detector, 1 << 20, bases);
        results.push({ blob: file.provenance, notes, findings: findings.map((f) => ({ rule: f.ruleId, location: f.location, secret: f.secret.reveal(), fingerprint: f.fingerprint })) });
      }
      return { results, withBase };
    };
    const whole = await scan();
    const edits = await scan(new EditBases());
    expect(edits.withBase).toBeGreaterThan(100);
    expect(edits.results).toEqual(whole.results);
    const found = (whole.results as { findings: { rule: string }[] }[]).flatMap((b) => b.findings.map((f) => f.rule));
    expect(found).toContain('test-token');
    expect(found).toContain('test-key-block');
    const secrets = (whole.results as { findings: { secret: string }[] }[]).flatMap((b) => b.findings.map((f) => f.secret));
    expect(secrets).toContain(fakeToken('j3f0'));
  });
});
