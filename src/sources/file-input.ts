// What a source of files hands over: a file's name, bytes and provenance. Only the corridor turns it into chunks.
import type { Chunk, Provenance } from '../types.js';
import type { FileFormat } from './infra/detect-format.js';

/**
 * One file as a source found it (a working-tree file, a staged or historical blob, a file in an image layer, a
 * CI log file). Sources never decode or chunk it: `src/scan/corridor.ts` does, the same way for every source.
 */
export interface FileInput {
  /** Display path (POSIX): format detection and path-bound rules read it. */
  path: string;
  provenance: Provenance;
  /** How notes name the file (default `path`), e.g. `app.tar@sha256:...:etc/app.env`. */
  display?: string;
  /** The file's bytes; null when the source did not read them because `size` is over the limit it was given. */
  bytes: Buffer | null;
  /** Size in bytes (of `bytes` when they were read). */
  size: number;
  /** Format to read the file as, when the user said so (`spillway logs FILE`); default: detected. */
  format?: FileFormat;
  /** Advice on every finding in the file whose format gives none (e.g. "in an image layer"). */
  note?: string;
  /** Said before the advice of every finding in the file (e.g. "deleted by a later layer"). */
  notePrefix?: string;
  /** Place of the chunks the format leaves unplaced (e.g. `image.layer`). */
  place?: string;
  /** A history blob: the blob the object store keeps it as a delta of (mostly another version of the file). */
  deltaBase?: string;
}

/** Text that is not a file (a commit message, an image's config, a log fetched from an API): it may skip the corridor. */
export type TextChunk = Chunk & { provenance: Exclude<Provenance, { kind: 'file' | 'staged' | 'git' }> };

/** What a source yields: a file for the corridor, or text that is no file. */
export type SourceItem = { file: FileInput } | { chunk: TextChunk };
