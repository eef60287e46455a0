// Reads ignore files: `.spillwayignore` (our fingerprints) and `.gitleaksignore` (gitleaks' `commit:path:rule:line`).
import { readRegularFile } from '../safe-fs.js';
import { join } from 'node:path';
import type { IgnoreList } from '../detect/suppress.js';

export const IGNORE_FILE_NAMES = ['.spillwayignore', '.gitleaksignore'] as const;

/** Parses ignore-file text: one entry a line, `#` comments. */
export function parseIgnoreFile(text: string): IgnoreList {
  const list: IgnoreList = { fingerprints: new Set(), locations: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    list.fingerprints.add(line);
    // gitleaks: [commit:]path:rule:line. Our own fingerprints end in 32 hex, never in a line number.
    const m = /^(?:([0-9a-f]{40}):)?(.+):([A-Za-z0-9_.-]+):(\d+)$/.exec(line);
    if (m) list.locations.push({ ...(m[1] ? { commit: m[1] } : {}), path: m[2]!, ruleId: m[3]!, line: Number(m[4]) });
  }
  return list;
}

/** Reads the ignore file given, or every default one present in `root`. */
export async function readIgnoreFiles(root: string, explicit?: string): Promise<IgnoreList> {
  const files = explicit ? [explicit] : IGNORE_FILE_NAMES.map((n) => join(root, n));
  const merged: IgnoreList = { fingerprints: new Set(), locations: [] };
  for (const file of files) {
    let text: string;
    try {
      text = await readRegularFile(file, { noFollow: !explicit });
    } catch (err) {
      if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`cannot read ignore file ${file}: ${(err as Error).message}`);
    }
    const list = parseIgnoreFile(text);
    list.fingerprints.forEach((f) => merged.fingerprints.add(f));
    merged.locations.push(...list.locations);
  }
  return merged;
}
