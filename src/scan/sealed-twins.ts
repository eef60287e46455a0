// Across the files of a folder: a Secret manifest committed next to the SealedSecret sealed from it.
import { dirname } from 'node:path/posix';
import type { Detector } from '../detect/detector.js';
import { NOTES } from '../sources/infra/notes.js';
import { sameSecret, secretDeclarations } from '../sources/kubernetes.js';
import type { DeclaredSecret, SealedName } from '../sources/kubernetes.js';
import type { Chunk, Finding, Provenance } from '../types.js';

/** Place of a Secret's `metadata.name` when its SealedSecret is committed too (rule k8s-secret-beside-sealedsecret). */
const PLACE = 'k8s.secret.unsealed';

/** A YAML file of a tree (working tree, index, commit, image): where it is and how to read it. */
export interface YamlFile {
  path: string;
  provenance: Provenance;
  /** Its decoded text; undefined when it cannot be read (binary, too large). */
  text(): Promise<string | undefined>;
}

/** Whether `path` is a YAML file the check reads. */
export const isYamlPath = (path: string): boolean => /\.ya?ml$/i.test(path);

/**
 * Findings for Secrets whose SealedSecret is in another YAML file of the same folder (the same file is the
 * kubernetes source's own check). Reads only the YAML files given, and parses only those that mention a Secret.
 * `detector` is asked for lazily: it is only built when there is something to report.
 */
export async function sealedTwinFindings(files: readonly YamlFile[], detector: () => Detector): Promise<Finding[]> {
  const folders = new Map<string, { file: YamlFile; lines: string[]; sealed: SealedName[]; secrets: DeclaredSecret[] }[]>();
  for (const file of files) {
    if (!isYamlPath(file.path)) continue;
    const text = await file.text();
    if (text === undefined || !/^\s*kind:\s*["']?(?:Sealed)?Secret["']?\s*$/m.test(text)) continue;
    const declared = secretDeclarations(text);
    if (!declared || (declared.sealed.length === 0 && declared.secrets.length === 0)) continue;
    const folder = dirname(file.path);
    const entries = folders.get(folder) ?? [];
    entries.push({ file, lines: text.split(/\r?\n/), ...declared });
    folders.set(folder, entries);
  }
  const chunks: Chunk[] = [];
  for (const entries of folders.values()) {
    for (const entry of entries) {
      for (const secret of entry.secrets) {
        const elsewhere = entries.some((other) => other !== entry && other.sealed.some((sealed) => sameSecret(sealed, secret)));
        const here = entry.sealed.some((sealed) => sameSecret(sealed, secret));
        if (!elsewhere || here) continue;
        chunks.push({
          text: entry.lines.slice(secret.first - 1, secret.last).join('\n'),
          provenance: entry.file.provenance,
          startLine: secret.first,
          place: PLACE,
          note: NOTES.unsealedSecretInFolder,
        });
      }
    }
  }
  return chunks.length === 0 ? [] : chunks.flatMap((chunk) => detector().detect(chunk));
}
