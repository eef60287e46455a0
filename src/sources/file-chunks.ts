// Turns one file's text into chunks: format-aware sources (Dockerfile, compose, Kubernetes...) hook in here.
import type { Chunk, Provenance, ScanNote } from '../types.js';
import { ciLogChunks } from './ci-logs.js';
import { composeChunks } from './compose.js';
import { continuationChunks, joinsContinuations } from './continuations.js';
import { dockerfileChunks } from './dockerfile.js';
import { helmValuesChunks } from './helm-values.js';
import { maskCiphertext } from './infra/ciphertext.js';
import { detectFormat, type FileFormat } from './infra/detect-format.js';
import { kubernetesChunks } from './kubernetes.js';
import { sopsView } from './sops.js';

export interface FileChunks {
  chunks: Chunk[];
  notes: ScanNote[];
}

export interface ChunkOptions {
  /** Provenance of every chunk (default: a working-tree file at `path`). */
  provenance?: Provenance;
  /** Read the file as this format instead of detecting it. */
  format?: FileFormat;
}

/**
 * Chunks for a file at `path` (relative, POSIX) with decoded `text`. Pure: no fs access. Infrastructure files
 * (Dockerfile, compose, Kubernetes, Kustomize, Helm values, CI logs) are split by meaning and placed; any other
 * file is one chunk. A format source that fails unexpectedly falls back to one chunk, with a note.
 * Ciphertext that is safe in git (SOPS values and metadata, Ansible Vault blobs) is blanked first; the plain values
 * of a SOPS file are chunks of their own (`sops.unencrypted`). In shell scripts, makefiles and Dockerfiles, each `\`
 * line continuation also gets a chunk joining the two lines (a secret split across them is found).
 */
export function chunksForFile(path: string, text: string, opts: ChunkOptions = {}): FileChunks {
  const sops = sopsView(path, text);
  const format = opts.format ?? detectFormat(path, text);
  const formatted = formatChunks(path, maskCiphertext(sops?.text ?? text), format, opts);
  const notes = formatted.notes;
  const chunks = joinsContinuations(path, text, format) ? formatted.chunks.flatMap((c) => [c, ...continuationChunks(c)]) : formatted.chunks;
  const all = sops ? { chunks: [...chunks, ...sops.chunks], notes: [...sops.notes, ...notes] } : { chunks, notes };
  const provenance = opts.provenance;
  if (!provenance) return all;
  // Format sources name a working-tree file; the file may be a blob or an image layer's.
  return { ...all, chunks: all.chunks.map((c) => (c.provenance.kind === 'file' ? { ...c, provenance } : c)) };
}

function formatChunks(path: string, text: string, format: FileFormat, opts: ChunkOptions): FileChunks {
  try {
    switch (format) {
      case 'dockerfile':
        return dockerfileChunks(path, text);
      case 'compose':
        return composeChunks(path, text);
      case 'kubernetes':
      case 'kustomize':
        return kubernetesChunks(path, text);
      case 'helm-values':
        return helmValuesChunks(path, text);
      case 'ci-log':
        return { chunks: ciLogChunks(text, opts.provenance ?? { kind: 'file', path }), notes: [] };
      case 'plain':
        return plain(path, text, []);
    }
  } catch (error) {
    return plain(path, text, [{ level: 'warning', input: path, message: `could not read as ${format} (${(error as Error).message}): scanned as plain text` }]);
  }
}

function plain(path: string, text: string, notes: ScanNote[]): FileChunks {
  return { chunks: [{ text, provenance: { kind: 'file', path } }], notes };
}
