import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanFiles as scanFilesSrc, type FilesScanResult, type ScanFilesOptions } from '../../src/scan/files.js';
import type { RuleSpec } from '../../src/types.js';
import { distModule, runUnprivileged, tempDir, writeTree } from './tree.js';

const KEY = Buffer.from('walker-test-key');
const RULE: RuleSpec = {
  id: 'test-token',
  description: 'Test token made for these tests',
  regex: '\\b(tstk_[a-z0-9]{24})\\b',
  keywords: ['tstk_'],
  allowlists: [],
  tags: ['test'],
  severity: 'high',
  confidence: 'medium',
  examples: [],
  counterexamples: [],
};
const CONFIG = { rules: [RULE], allowlists: [] };

/** A fake token of the test rule, different for each seed. */
function token(seed: string): string {
  return 'tstk_' + createHash('sha256').update(seed).digest('hex').slice(0, 24);
}

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < 600; i++) {
    const lines = Array.from({ length: 20 }, (_, j) => `const value${j} = compute(${i}, ${j}); // token handling`);
    if (i % 7 === 0) lines[i % 20] = `const apiToken = "${token(`f${i}`)}";`;
    files[`pkg${i % 5}/file${i}.ts`] = lines.join('\n') + '\n';
  }
  files['crlf.env'] = `A=1\r\nB=2\r\nTOKEN=${token('crlf')}\r\n`;
  files['cr.env'] = `A=1\rB=2\rTOKEN=${token('cr')}\r`;
  files['utf16.txt'] = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`first line\nkey: ${token('utf16')}\n`, 'utf16le')]);
  files['binary.bin'] = Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.from(token('bin'))]);
  files['huge.log'] = 'a'.repeat(5000) + token('huge');
  writeTree(dir, files);
  execFileSync('mkfifo', [join(dir, 'fifo')]);
});
afterAll(() => cleanup());

function options(threads: number): ScanFilesOptions {
  return { root: dir, noGit: true, threads, maxFileSize: 4096, config: CONFIG, fingerprintKey: KEY };
}

/** What must agree between runs: everything but timing and thread count. */
function comparable(r: FilesScanResult) {
  return {
    findings: r.findings.map((f) => ({ ...f, secret: f.secret.reveal(), match: f.match.reveal() })),
    notes: r.notes,
    files: r.stats.files,
    bytes: r.stats.bytes,
    skipped: r.stats.skipped,
  };
}

describe('scanFiles', () => {
  it('finds secrets with the right lines, skips what it cannot scan, with notes', async () => {
    const res = await scanFilesSrc(options(1));
    const byPath = new Map(res.findings.map((f) => [f.location.path, f]));
    expect(res.findings).toHaveLength(86 + 3);
    expect(byPath.get('crlf.env')).toMatchObject({ location: { startLine: 3, startColumn: 7 } });
    expect(byPath.get('cr.env')).toMatchObject({ location: { startLine: 3, startColumn: 7 } });
    expect(byPath.get('utf16.txt')).toMatchObject({ location: { startLine: 2, startColumn: 6 } });
    expect(byPath.get('utf16.txt')!.secret.reveal()).toBe(token('utf16'));
    expect(byPath.get('pkg0/file0.ts')).toMatchObject({ location: { startLine: 1, startColumn: 19 } });
    expect(res.notes).toEqual([
      { level: 'info', input: 'binary.bin', message: 'skipped: binary file (contains NUL bytes)' },
      { level: 'info', input: 'fifo', message: 'skipped: not a regular file (a FIFO)' },
      { level: 'warning', input: 'huge.log', message: 'skipped: 5.0 kB is over the 4 KiB limit (--max-file-size)' },
    ]);
    expect(res.stats).toMatchObject({ files: 603, skipped: 3, threads: 1 });
  });

  it('gives identical output in-process and on worker threads (dist)', async () => {
    const { scanFiles: scanFilesDist } = (await import(distModule('scan/files.js'))) as { scanFiles: typeof scanFilesSrc };
    const single = await scanFilesSrc(options(1));
    const multi = await scanFilesDist(options(2));
    expect(multi.stats.threads).toBe(2);
    expect(comparable(multi)).toEqual(comparable(single));
    const three = await scanFilesDist(options(3));
    expect(comparable(three)).toEqual(comparable(single));
  });

  it('scans a small tree in-process even when threads are asked for', async () => {
    const { scanFiles: scanFilesDist } = (await import(distModule('scan/files.js'))) as { scanFiles: typeof scanFilesSrc };
    const res = await scanFilesDist({ ...options(2), paths: ['pkg0', 'crlf.env'] });
    expect(res.stats).toMatchObject({ files: 121, threads: 1 });
    expect(res.findings.map((f) => f.location.path)).toContain('crlf.env');
    // A walk that ends exactly at the limit (8 batches of 64 files) stays in-process too.
    const limit = await scanFilesDist({ ...options(2), paths: ['pkg0', 'pkg1', 'pkg2', 'pkg3'] });
    expect(limit.stats).toMatchObject({ files: 480, threads: 1 });
  });

  it('reports progress with running totals', async () => {
    const seen: number[] = [];
    const res = await scanFilesSrc({ ...options(1), onProgress: (p) => seen.push(p.files) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(res.stats.files);
  });

  it('rejects a bad thread count with a TypeError naming the option', async () => {
    await expect(scanFilesSrc(options(0))).rejects.toThrow(/threads must be a positive integer/);
  });

  it('notes an unreadable file and scans the rest (unprivileged, worker threads)', () => {
    const { dir: d, cleanup: clean } = tempDir();
    try {
      // More files than a tree scanned in-process holds (8 batches of 64), so that workers read them.
      const filler = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`m/f${i}.txt`, 'nothing here\n']));
      writeTree(d, { ...filler, 'a.env': `T=${token('a')}\n`, 'locked.env': `T=${token('l')}\n`, 'z.env': `T=${token('z')}\n` });
      chmodSync(d, 0o755);
      chmodSync(join(d, 'locked.env'), 0o000);
      const out = runUnprivileged(
        `const { scanFiles } = await import(${JSON.stringify(distModule('scan/files.js'))});
         const r = await scanFiles({ root: ${JSON.stringify(d)}, noGit: true, threads: 2, config: ${JSON.stringify(CONFIG)}, fingerprintKey: Buffer.from('k') });
         console.log(JSON.stringify({ paths: r.findings.map((f) => f.location.path), notes: r.notes, files: r.stats.files, threads: r.stats.threads }));`,
      );
      expect(JSON.parse(out)).toEqual({
        paths: ['a.env', 'z.env'],
        notes: [{ level: 'error', input: 'locked.env', message: 'cannot read: permission denied' }],
        files: 602,
        threads: 2,
      });
    } finally {
      clean();
    }
  });
});
