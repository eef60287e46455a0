// Helm values files: the whole file is values that get rendered into manifests.
import { NOTES } from './infra/notes.js';
import type { FileChunks } from './file-chunks.js';

/** One chunk, placed `helm.values`, with the advice for values files. */
export function helmValuesChunks(path: string, text: string): FileChunks {
  return { chunks: [{ text, provenance: { kind: 'file', path }, place: 'helm.values', note: NOTES.helmValues }], notes: [] };
}
