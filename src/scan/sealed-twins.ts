// Across the files of a folder: a Secret manifest committed next to the SealedSecret sealed from it.
import { dirname } from 'node:path/posix';
import type { Detector } from '../detect/detector.js';
import { NOTES } from '../sources/infra/notes.js';
import { sameSecret, secretDeclarations } from '../sources/kubernetes.js';
import type { DeclaredSecret, SealedName } from '../sources/kubernetes.js';
import { readFileForScan } from '../sources/read-file.js';
import type { Chunk, Finding } from '../types.js';
import type { FileJob } from './scan-file.js';

/** Place of a Secret's `metadata.name` when its SealedSecret is committed too (rule k8s-secret-beside-sealedsecret). */
const PLACE = 'k8s.secret.unsealed';

/**
 * Findings for Secrets whose SealedSecret is in another YAML file of the same folder (the same file is the
 * kubernetes source's own check). Reads only the YAML files given, and parses only those that mention a Secret.
 * `detector` is asked for lazily: it is only built when there is something to report.
 */
export async function sealedTwinFindings(files: readonly FileJob[], detector: () => Detector, maxFileSize?: number): Promise<Finding[]> {
  const folders = new Map<string, { path: string; lines: string[]; sealed: SealedName[]; secrets: DeclaredSecret[] }[]>();
  for (const file of files) {
    if (!/\.ya?ml$/i.test(file.path)) continue;
    const read = await readFileForScan(file.abs, file.path, { ...(maxFileSize === undefined ? {} : { maxFileSize }), ...(file.id ? { expectId: file.id } : {}) });
    if ('note' in read || !/^\s*kind:\s*["']?(?:Sealed)?Secret["']?\s*$/m.test(read.text)) continue;
    const declared = secretDeclarations(read.text);
    if (!declared || (declared.sealed.length === 0 && declared.secrets.length === 0)) continue;
    const folder = dirname(file.path);
    const entries = folders.get(folder) ?? [];
    entries.push({ path: file.path, lines: read.text.split(/\r?\n/), ...declared });
    folders.set(folder, entries);
  }
  const chunks: Chunk[] = [];
  for (const entries of folders.values()) {
    for (const file of entries) {
      for (const secret of file.secrets) {
        const elsewhere = entries.some((other) => other !== file && other.sealed.some((sealed) => sameSecret(sealed, secret)));
        const here = file.sealed.some((sealed) => sameSecret(sealed, secret));
        if (!elsewhere || here) continue;
        chunks.push({
          text: file.lines.slice(secret.first - 1, secret.last).join('\n'),
          provenance: { kind: 'file', path: file.path },
          startLine: secret.first,
          place: PLACE,
          note: NOTES.unsealedSecretInFolder,
        });
      }
    }
  }
  return chunks.length === 0 ? [] : chunks.flatMap((chunk) => detector().detect(chunk));
}
