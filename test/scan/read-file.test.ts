import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileForScan } from '../../src/sources/read-file.js';
import { distModule, runUnprivileged, tempDir } from './tree.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function read(name: string, content: string | Buffer, maxFileSize?: number) {
  writeFileSync(join(dir, name), content);
  return readFileForScan(join(dir, name), name, maxFileSize === undefined ? {} : { maxFileSize });
}

describe('readFileForScan', () => {
  it('reads UTF-8 text and strips a BOM', async () => {
    expect(await read('a.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo\n')]))).toEqual({ text: 'héllo\n', bytes: 10 });
  });

  it('skips a file with NUL bytes as binary', async () => {
    const res = await read('img.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    expect(res).toEqual({ note: { level: 'info', input: 'img.png', message: 'skipped: binary file (contains NUL bytes)' } });
  });

  it('reads a text file with a stray NUL byte as text', async () => {
    const text = `first line of a config\0\nkey = value\n`;
    expect(await read('nul.conf', text)).toMatchObject({ text });
  });

  it('decodes UTF-16 LE and BE without a BOM', async () => {
    const text = 'key: value\nother: line\n';
    expect(await read('le.txt', Buffer.from(text, 'utf16le'))).toEqual({ text, bytes: text.length * 2 });
    expect(await read('be.txt', Buffer.from(text, 'utf16le').swap16())).toEqual({ text, bytes: text.length * 2 });
  });

  it('skips 16-bit binary data and compressed data', async () => {
    const ints = Buffer.alloc(400);
    for (let i = 0; i < 200; i++) ints.writeUInt16LE(i % 24, i * 2);
    expect(await read('ints.bin', ints)).toEqual({ note: { level: 'info', input: 'ints.bin', message: 'skipped: binary file (mostly control bytes)' } });
    const noise = Buffer.concat(Array.from({ length: 64 }, (_, i) => createHash('sha256').update(String(i)).digest()));
    expect(await read('data.gz', noise)).toMatchObject({ note: { level: 'info', input: 'data.gz' } });
  });

  it('skips a file that is mostly control bytes', async () => {
    const res = await read('blob', Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41))));
    expect(res).toEqual({ note: { level: 'info', input: 'blob', message: 'skipped: binary file (mostly control bytes)' } });
  });

  it('keeps text with ANSI colour codes and form feeds', async () => {
    const text = '\x1b[31mred\x1b[0m\n\fpage two\n';
    // ASCII text also carries its bytes, so the detector matches them without encoding the text again.
    expect(await read('log.txt', text)).toEqual({ text, bytes: Buffer.byteLength(text), asciiBytes: Buffer.from(text) });
  });

  it('skips a file over the size cap with a note saying so', async () => {
    const res = await read('big.json', 'x'.repeat(12_300_000));
    expect(res).toEqual({ note: { level: 'warning', input: 'big.json', message: 'skipped: 12.3 MB is over the 10 MiB limit (--max-file-size)' } });
    expect(await read('small.txt', 'x'.repeat(2048), 1024)).toEqual({
      note: { level: 'warning', input: 'small.txt', message: 'skipped: 2.0 kB is over the 1 KiB limit (--max-file-size)' },
    });
    expect(await read('exact.txt', 'x'.repeat(1024), 1024)).toMatchObject({ bytes: 1024 });
  });

  it('decodes UTF-16 LE and BE with a BOM', async () => {
    const text = 'token = "abc"\nzweite Zeile ü\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(Buffer.from(text, 'utf16le')).swap16()]);
    expect(await read('le.txt', le)).toMatchObject({ text });
    expect(await read('be.txt', be)).toMatchObject({ text });
  });

  it('replaces invalid UTF-8 and still returns the text around it', async () => {
    const res = await read('latin1.txt', Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' key=1\n')]));
    expect(res).toEqual({ text: 'caf\uFFFD key=1\n', bytes: 11 });
  });

  it('keeps CRLF and lone CR line endings as they are', async () => {
    expect(await read('crlf.txt', 'a\r\nbb\r\n')).toMatchObject({ text: 'a\r\nbb\r\n' });
    expect(await read('cr.txt', 'one\rtwo\rthree')).toMatchObject({ text: 'one\rtwo\rthree' });
  });

  it('scans a long minified line as it is', async () => {
    const line = 'var a=1;'.repeat(200_000);
    expect(await read('bundle.min.js', line)).toEqual({ text: line, bytes: line.length, asciiBytes: Buffer.from(line) });
  });

  it('does not block on a FIFO', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(await readFileForScan(join(dir, 'pipe'), 'pipe')).toEqual({ note: { level: 'info', input: 'pipe', message: 'skipped: not a regular file' } });
  });

  it('notes a file that cannot be read (run as an unprivileged user)', () => {
    writeFileSync(join(dir, 'locked.txt'), 'x');
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'locked.txt'), 0o000);
    const out = runUnprivileged(
      `const { readFileForScan } = await import(${JSON.stringify(distModule('sources/read-file.js'))});
       console.log(JSON.stringify(await readFileForScan(${JSON.stringify(join(dir, 'locked.txt'))}, 'locked.txt')));`,
    );
    expect(JSON.parse(out)).toEqual({ note: { level: 'error', input: 'locked.txt', message: 'cannot read: permission denied' } });
  });
});
