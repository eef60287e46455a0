// Recovers a finding's leaked value in memory from where it was found (the file or the git blob).
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { Secret } from '../secret.js';
import { runGit } from '../sources/git/safe-git.js';
import type { ReportedFinding } from '../report/parse.js';

/** Cuts the span [start, end) (1-based lines, UTF-16 columns, end column exclusive) out of `text`. */
export function sliceSpan(text: string, f: Pick<ReportedFinding, 'startLine' | 'startColumn' | 'endLine' | 'endColumn'>): string | undefined {
  const lines = text.split(/\r?\n/);
  if (f.startLine < 1 || f.endLine > lines.length || f.endLine < f.startLine) return undefined;
  if (f.startLine === f.endLine) {
    const line = lines[f.startLine - 1] ?? '';
    if (f.endColumn - 1 > line.length || f.endColumn <= f.startColumn) return undefined;
    return line.slice(f.startColumn - 1, f.endColumn - 1);
  }
  const parts = [(lines[f.startLine - 1] ?? '').slice(f.startColumn - 1)];
  for (let n = f.startLine + 1; n < f.endLine; n++) parts.push(lines[n - 1] ?? '');
  parts.push((lines[f.endLine - 1] ?? '').slice(0, f.endColumn - 1));
  return parts.join('\n');
}

async function contentOf(finding: ReportedFinding, root: string): Promise<string> {
  const p = finding.provenance;
  if ((p.kind === 'git' || p.kind === 'staged') && p.blob) {
    const result = await runGit(root, ['cat-file', 'blob', p.blob]).catch((err: Error) => {
      throw new Error(`${root}: cannot run git to read blob ${p.blob} of ${finding.path} (${err.message})`);
    });
    if (result.code !== 0) throw new Error(`${root}: cannot read blob ${p.blob} of ${finding.path}: ${result.stderr.trim()}`);
    return result.stdout.toString('utf8');
  }
  const file = isAbsolute(finding.path) ? finding.path : resolve(root, finding.path);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read the leaked file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The text at the finding's span as it is in the file or blob (base64 still encoded), wrapped at once in a Secret. */
export async function recoverLeakedSpan(finding: ReportedFinding, root: string): Promise<Secret> {
  const raw = sliceSpan(await contentOf(finding, root), finding);
  if (raw === undefined) throw new Error(`${finding.path}:${finding.startLine}: the finding's span is not in the file any more (was it edited?)`);
  return new Secret(raw);
}

/**
 * The leaked value of `finding`, read under the report's scan `root` and wrapped at once in a Secret.
 * Base64-decoded findings point at the encoded span: the value is its decoding. Checks the length the report recorded.
 */
export async function recoverLeakedValue(finding: ReportedFinding, root: string): Promise<Secret> {
  const raw = await recoverLeakedSpan(finding, root);
  const value = finding.decodedFrom === 'base64' ? new Secret(Buffer.from(raw.reveal(), 'base64').toString('utf8')) : raw;
  if (finding.secretLength > 0 && value.length !== finding.secretLength) {
    const what = finding.decodedFrom === 'base64' ? 'the decoded text holds more than the secret: give --vault-path and --property' : 'was the file edited?';
    throw new Error(`${finding.path}:${finding.startLine}: the value at the finding's span is ${value.length} chars, the report says ${finding.secretLength} (${what})`);
  }
  return value;
}
