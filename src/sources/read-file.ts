// Reads one file for scanning: size cap, binary detection, and decoding (UTF-8, UTF-16 with or without a BOM).
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import type { ScanNote } from '../types.js';
import { fsErrorText } from './fs-errors.js';

/** Default `maxFileSize`: 10 MiB. */
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** How much of the start of a file the binary check looks at. */
const SNIFF_BYTES = 8192;
/** Above this share of control bytes (NUL included) in the sniffed part, a file is binary... */
const MAX_CONTROL_RATIO = 0.1;
/** ...or above this share of control bytes and invalid UTF-8 together (compressed data: no text at all). */
const MAX_NON_TEXT_RATIO = 0.3;
/** UTF-16 without a BOM: at least this share of the high bytes of its code units are NUL (ASCII-range text)... */
const UTF16_MIN_NUL_HIGH = 0.5;
/** ...and at most this share of the low bytes. */
const UTF16_MAX_NUL_LOW = 0.05;

export interface ReadOptions {
  /** Files larger than this many bytes are skipped with a note. */
  maxFileSize?: number;
  /**
   * `dev:ino` the walk saw (inside the scan root): the path is opened without following a symlink, and a file that
   * is not that one (swapped, or a parent folder swapped for a symlink, since the walk) is not read.
   */
  expectId?: string;
}

/** Either the decoded text (and the bytes read), or why the file was not scanned. */
export type ReadResult = { text: string; bytes: number; asciiBytes?: Buffer } | { note: ScanNote };

/** The bytes of a file, or why it was not read. */
export type BytesResult = { bytes: Buffer } | { note: ScanNote };

/**
 * Reads the file at `abs` (named `display` in notes) and decodes it for the detector: `readFileBytes`, then
 * `decodeForScan`. Never throws for a bad file.
 */
export async function readFileForScan(abs: string | Buffer, display: string, opts: ReadOptions = {}): Promise<ReadResult> {
  const read = await readFileBytes(abs, display, opts);
  return 'note' in read ? read : decodeForScan(read.bytes, display);
}

/** `readFileBytesSync` for callers that await. */
export async function readFileBytes(abs: string | Buffer, display: string, opts: ReadOptions = {}): Promise<BytesResult> {
  return readFileBytesSync(abs, display, opts);
}

/**
 * Reads the file at `abs` (named `display` in notes), at most `maxFileSize` bytes. Files over the size cap and
 * anything that is not a regular file give a note instead. Never throws for a bad file.
 * NOTE: synchronous on purpose: for the small files of a tree, a promise per open, stat, read and close cost five
 * times the CPU of the system calls themselves (docs/architecture.md, "Detection speed").
 */
export function readFileBytesSync(abs: string | Buffer, display: string, opts: ReadOptions = {}): BytesResult {
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let fd: number;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since the walk, opening it must not hang.
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK | (opts.expectId ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    if (opts.expectId && (err as NodeJS.ErrnoException).code === 'ELOOP') return { note: swappedNote(display) };
    return { note: { level: 'error', input: display, message: `cannot read: ${fsErrorText(err)}` } };
  }
  try {
    const st: Stats = fstatSync(fd);
    if (opts.expectId && `${st.dev}:${st.ino}` !== opts.expectId) return { note: swappedNote(display) };
    if (!st.isFile()) return { note: { level: 'info', input: display, message: 'skipped: not a regular file' } };
    if (st.size > maxFileSize) return { note: oversizeNote(display, st.size, maxFileSize) };
    const buf = readAll(fd, st.size, maxFileSize);
    if (buf.length > maxFileSize) {
      return { note: { level: 'warning', input: display, message: `skipped: grew past the ${limitText(maxFileSize)} limit while being read (--max-file-size)` } };
    }
    return { bytes: buf };
  } catch (err) {
    return { note: { level: 'error', input: display, message: `cannot read: ${fsErrorText(err)}` } };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing to do: the file was read (or its note made) already.
    }
  }
}

/** The note for a file that is not the one the walk checked inside the root. */
function swappedNote(display: string): ScanNote {
  return { level: 'warning', input: display, message: 'skipped: replaced since the walk (by a symlink or another file): not read' };
}

/** The note for a file of `size` bytes over the `limit`: the same words whatever the source. */
export function oversizeNote(display: string, size: number, limit: number): ScanNote {
  return { level: 'warning', input: display, message: `skipped: ${sizeText(size)} is over the ${limitText(limit)} limit (--max-file-size)` };
}

/**
 * Decodes a file's bytes for the detector. UTF-8 (a BOM is stripped; invalid sequences become U+FFFD and the rest
 * is still scanned) and UTF-16 LE/BE are decoded, with a BOM or, without one, when every other byte of the start
 * is NUL (ASCII-range UTF-16, as Windows tools write it). Line endings are left as they are (the detector counts
 * CRLF, LF and a lone CR as line breaks). Binary content (over 10% of the first 8 KiB not text: a few stray NUL
 * bytes in a text file do not make it binary) gives a note instead.
 */
export function decodeForScan(buf: Buffer, display: string): ReadResult {
  const bytes = buf.length;
  let text: string;
  const order = utf16Order(buf.subarray(0, SNIFF_BYTES));
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    text = buf.toString('utf16le', 2, bytes - (bytes % 2));
  } else if (buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2, bytes - (bytes % 2)));
    text = swapped.swap16().toString('utf16le');
  } else if (order) {
    const even = buf.subarray(0, bytes - (bytes % 2));
    text = order === 'le' ? even.toString('utf16le') : Buffer.from(even).swap16().toString('utf16le');
    // 16-bit binary data (small integers) has the same NUL pattern: its decoded start is mostly control characters.
    const head = text.slice(0, SNIFF_BYTES / 2);
    if ((head.match(/[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ufffd]/g)?.length ?? 0) / head.length > MAX_CONTROL_RATIO) return { note: { level: 'info', input: display, message: 'skipped: binary file (mostly control bytes)' } };
  } else {
    const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    const reason = binaryReason(buf.subarray(start, start + SNIFF_BYTES));
    if (reason) return { note: { level: 'info', input: display, message: `skipped: binary file (${reason})` } };
    const body = buf.subarray(start);
    // Pure ASCII (most source code): the bytes are the text, so the detector need not encode it again.
    if (isAscii(body)) return { text: body.toString('latin1'), bytes, asciiBytes: body };
    text = body.toString('utf8');
  }
  return { text, bytes };
}

/** Control bytes other than tab, LF, VT, FF, CR and ESC (colour codes in logs), NUL included, and DEL. */
const CONTROL_BYTES = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/g;

/** Why a sniffed prefix looks binary (by the share of bytes that are not text), or undefined when it looks like text. */
function binaryReason(head: Buffer): string | undefined {
  if (head.length === 0) return undefined;
  // Native regex scans of the latin1 and UTF-8 views: much faster than a byte loop on large histories.
  const control = head.toString('latin1').match(CONTROL_BYTES)?.length ?? 0;
  const invalid = isAscii(head) ? 0 : (head.toString('utf8').match(/\ufffd/g)?.length ?? 0);
  if (control / head.length <= MAX_CONTROL_RATIO && (control + invalid) / head.length <= MAX_NON_TEXT_RATIO) return undefined;
  return head.includes(0) ? 'contains NUL bytes' : 'mostly control bytes';
}

/** `le` or `be` when a BOM-less start reads as ASCII-range UTF-16: NUL high bytes, almost no NUL low bytes. */
function utf16Order(head: Buffer): 'le' | 'be' | undefined {
  const units = Math.floor(head.length / 2);
  if (units < 2 || !head.includes(0)) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < units * 2; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  if (oddNul / units >= UTF16_MIN_NUL_HIGH && evenNul / units <= UTF16_MAX_NUL_LOW) return 'le';
  if (evenNul / units >= UTF16_MIN_NUL_HIGH && oddNul / units <= UTF16_MAX_NUL_LOW) return 'be';
  return undefined;
}

/** Reads to EOF, but never more than `max + 1` bytes (a file may grow after fstat). */
function readAll(fd: number, size: number, max: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let want = Math.min(size, max) + 1;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.max(want, 1));
    const bytesRead = readSync(fd, buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    total += bytesRead;
    if (total > max) break;
    want = Math.min(64 * 1024, max + 1 - total);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** Size in decimal MB/kB as users read it, e.g. `12.3 MB`. */
function sizeText(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} bytes`;
}

/** The limit in the binary units the flag is documented in, e.g. `10 MiB`. */
function limitText(n: number): string {
  const mib = n / (1024 * 1024);
  if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
  const kib = n / 1024;
  if (kib >= 1) return `${Number.isInteger(kib) ? kib : kib.toFixed(1)} KiB`;
  return `${n} bytes`;
}
