// The one stage every file passes on its way to the detector: size cap, decoding, then format chunking.
import type { Detector } from '../detect/detector.js';
import { chunksForFile } from '../sources/file-chunks.js';
import type { FileInput, SourceItem } from '../sources/file-input.js';
import { DEFAULT_MAX_FILE_SIZE, decodeForScan, oversizeNote } from '../sources/read-file.js';
import type { Chunk, Finding, ScanNote } from '../types.js';
import { scanChunks } from './chunks.js';
import { crossFileChecks } from './cross-file.js';
import { isYamlPath, type YamlFile } from './sealed-twins.js';

export interface CorridorOptions {
  /** Files over this many bytes are skipped with a note (default 10 MiB). */
  maxFileSize?: number;
}

/** A file's chunks, the notes it gave, and why it was skipped, if it was. */
export interface CorridorResult {
  chunks: Chunk[];
  notes: ScanNote[];
  skipped?: 'oversize' | 'binary' | 'error';
}

/**
 * Chunks of one file, the same whatever source found it: over the size cap, a note; binary (after BOM and UTF-16
 * sniffing), a note and one `pathOnly` chunk for the rules on the path alone; otherwise decoded and split by format (Dockerfile, compose, Kubernetes, Helm, SOPS, sealed
 * secrets, CI logs) with the file's provenance on every chunk. Never throws.
 */
export function fileChunks(file: FileInput, opts: CorridorOptions = {}): CorridorResult {
  const limit = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const display = file.display ?? file.path;
  if (file.bytes === null || file.size > limit) return { chunks: [], notes: [oversizeNote(display, file.size, limit)], skipped: 'oversize' };
  const read = decodeForScan(file.bytes, display);
  // A binary file's content is not scanned, but its name can be the finding (a .p12, a .jks): rules on the path alone apply.
  if ('note' in read) return { chunks: [pathOnlyChunk(file)], notes: [read.note], skipped: 'binary' };
  try {
    const { chunks, notes } = chunksForFile(file.path, read.text, { provenance: file.provenance, ...(file.format ? { format: file.format } : {}) });
    return {
      chunks: chunks.map((chunk) => finish(chunk, file, read.text, read.asciiBytes)),
      notes: display === file.path ? notes : notes.map((n) => ({ ...n, input: n.input === file.path ? display : `${display}: ${n.input}` })),
    };
  } catch (err) {
    return { chunks: [], notes: [{ level: 'error', input: display, message: `internal error while scanning: ${(err as Error).message}` }], skipped: 'error' };
  }
}

function pathOnlyChunk(file: FileInput): Chunk {
  return { text: '', provenance: file.provenance, pathOnly: true };
}

function finish(chunk: Chunk, file: FileInput, text: string, asciiBytes: Buffer | undefined): Chunk {
  const out: Chunk = asciiBytes && chunk.text === text ? { ...chunk, asciiBytes } : { ...chunk };
  if (file.place && out.place === undefined) out.place = file.place;
  const note = out.note ?? file.note;
  if (note !== undefined) out.note = file.notePrefix ? `${file.notePrefix} ${note}` : note;
  return out;
}

export interface ItemsScanOptions extends CorridorOptions {
  /** Binary and over-size files: one note each (default), or one note counting them (image layers hold thousands). */
  skipNotes?: 'each' | 'count';
  /** Named in the counting note. */
  display?: string;
  /** The files form one tree (an image's layers): run the checks across files on it. */
  tree?: boolean;
}

export interface ItemsScanResult {
  findings: Finding[];
  notes: ScanNote[];
  /** Files and text chunks read. */
  scanned: number;
}

/** Scans a source's items: files through the corridor, text as it is; identical chunks are matched once. */
export async function scanItems(items: AsyncIterable<SourceItem>, detector: Detector, opts: ItemsScanOptions = {}): Promise<ItemsScanResult> {
  const notes: ScanNote[] = [];
  let scanned = 0;
  let binary = 0;
  let oversize = 0;
  const paths = new Set<string>();
  const yaml: YamlFile[] = [];
  const chunks = async function* (): AsyncIterable<Chunk> {
    for await (const item of items) {
      scanned++;
      if ('chunk' in item) {
        yield item.chunk;
        continue;
      }
      const result = fileChunks(item.file, opts);
      if (opts.tree) remember(item.file, result, paths, yaml);
      if (opts.skipNotes === 'count' && result.skipped === 'binary') binary++;
      else if (opts.skipNotes === 'count' && result.skipped === 'oversize') oversize++;
      else notes.push(...result.notes);
      yield* result.chunks;
    }
  };
  const scannedFindings = await scanChunks(chunks(), detector, notes);
  const findings = opts.tree ? await crossFileChecks(scannedFindings, { paths, yaml }, () => detector) : scannedFindings;
  if (binary > 0) notes.push({ level: 'info', input: opts.display ?? '', message: `skipped ${binary} binary file(s)` });
  if (oversize > 0) notes.push({ level: 'info', input: opts.display ?? '', message: `skipped ${oversize} file(s) over the size limit (--max-file-size)` });
  return { findings, notes, scanned };
}

/** A tree's paths, and the text of its YAML files that may declare a Secret, for the checks across files. */
function remember(file: FileInput, result: CorridorResult, paths: Set<string>, yaml: YamlFile[]): void {
  paths.add(file.path);
  if (!isYamlPath(file.path) || result.skipped || !file.bytes?.includes('Secret')) return;
  const read = decodeForScan(file.bytes, file.display ?? file.path);
  if ('text' in read) yaml.push({ path: file.path, provenance: file.provenance, text: () => Promise.resolve(read.text) });
}
