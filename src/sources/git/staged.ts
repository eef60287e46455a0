// The staged source: what the next commit would add (new files, added lines), read from the index.
import type { Chunk, ScanNote } from '../../types.js';
import { decodeForScan } from '../read-file.js';
import { catFileBatch } from './cat-file-batch.js';
import { DEFAULT_MAX_BLOB_SIZE } from './history.js';
import { runGit } from './safe-git.js';

/** Options that pin down diff output whatever the repository's config says. */
const DIFF_ARGS = ['diff', '--cached', '-M', '--no-relative', '--no-color', '--no-ext-diff', '--no-textconv', '-O/dev/null', '--diff-filter=ACMRT'];

interface StagedEntry {
  status: string;
  mode: string;
  blob: string;
  path: string;
}

/** A run of added lines: where it starts in the staged file, and its text. */
export interface AddedRun {
  startLine: number;
  lines: string[];
}

/**
 * Chunks for a pre-commit scan: the lines the commit adds (all of a new file), each run of them a chunk
 * whose line numbers are those of the staged version of the file. A renamed file contributes only its
 * added lines. Content comes from the index, never the working tree. `repo` is the repository's top level.
 */
export class StagedSource {
  readonly notes: ScanNote[] = [];

  /** `indexFile`: the GIT_INDEX_FILE git gave a hook (`git commit -a` and `git commit <paths>` use a temporary index). */
  constructor(
    private readonly repo: string,
    private readonly opts: { maxBlobSize?: number; indexFile?: string } = {},
  ) {}

  async *chunks(): AsyncGenerator<Chunk> {
    const env: Record<string, string> = this.opts.indexFile ? { GIT_INDEX_FILE: this.opts.indexFile } : {};
    const maxBlobSize = this.opts.maxBlobSize ?? DEFAULT_MAX_BLOB_SIZE;
    // One git call: the raw listing (NUL-separated, exact paths), an empty record, then the patch.
    const res = await runGit(this.repo, [...DIFF_ARGS, '--raw', '-z', '--no-abbrev', '-p', '-U0', '--inter-hunk-context=0'], undefined, env);
    if (res.code !== 0) throw new Error(`${this.repo}: git diff --cached failed: ${res.stderr.trim()}`);
    const out = res.stdout.toString('utf8');
    const split = out.indexOf('\0\0');
    const entries = parseRawDiff(split < 0 ? out : out.slice(0, split + 1));
    const sections = splitPatch(split < 0 ? '' : out.slice(split + 2));
    if (sections.length !== entries.length) throw new Error(`${this.repo}: git diff --cached gave ${entries.length} files but ${sections.length} patches`);

    // Files git calls binary (perhaps only by a .gitattributes `-diff`) are read whole and judged by content.
    const whole: StagedEntry[] = [];
    for (const [i, entry] of entries.entries()) {
      if (entry.mode === '160000') continue;
      const section = sections[i]!;
      if (isBinaryPatch(section)) {
        whole.push(entry);
        continue;
      }
      for (const run of addedRuns(section)) {
        yield { text: run.lines.join('\n'), startLine: run.startLine, provenance: { kind: 'staged', path: entry.path, blob: entry.blob } };
      }
    }
    if (whole.length === 0) return;
    const requests = whole.map((e) => ({ oid: e.blob, label: e.path }));
    for await (const obj of catFileBatch(this.repo, requests, { maxSize: maxBlobSize })) {
      const path = obj.label ?? obj.oid;
      if (obj.missing) this.notes.push({ level: 'error', input: path, message: `staged blob ${obj.oid} is missing from the object store` });
      else if (!obj.content) this.notes.push({ level: 'warning', input: path, message: `skipped: ${obj.size} bytes is over the ${maxBlobSize}-byte limit` });
      else {
        const decoded = decodeForScan(obj.content, path);
        if ('note' in decoded) this.notes.push(decoded.note);
        else yield { text: decoded.text, provenance: { kind: 'staged', path, blob: obj.oid } };
      }
    }
  }
}

/** Parses `git diff --raw -z` output (renames give two paths: the new one is kept). */
export function parseRawDiff(text: string): StagedEntry[] {
  const tokens = text.split('\0');
  const entries: StagedEntry[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const head = tokens[i]!;
    if (!head.startsWith(':')) continue;
    const [, newMode, , blob, status] = head.slice(1).split(' ');
    const letter = (status ?? '').charAt(0);
    const path = letter === 'R' || letter === 'C' ? tokens[(i += 2)]! : tokens[++i]!;
    entries.push({ status: letter, mode: newMode ?? '', blob: blob ?? '', path });
  }
  return entries;
}

/** Splits a patch into one section per file. */
function splitPatch(text: string): string[] {
  if (!text) return [];
  return text.split(/^(?=diff --git )/m).filter((s) => s.startsWith('diff --git '));
}

function isBinaryPatch(section: string): boolean {
  return /^(Binary files .* differ|GIT binary patch)$/m.test(section);
}

/** The runs of added lines in one file's patch, numbered as in the new version of the file. */
export function addedRuns(section: string): AddedRun[] {
  const runs: AddedRun[] = [];
  let line = 0;
  let inHunk = false;
  let current: AddedRun | undefined;
  for (const text of section.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      inHunk = true;
      line = Number(hunk[1]);
      current = undefined;
      continue;
    }
    if (!inHunk) continue;
    if (text.startsWith('+')) {
      if (!current) runs.push((current = { startLine: line, lines: [] }));
      current.lines.push(text.slice(1));
      line++;
    } else if (text.startsWith(' ')) {
      current = undefined;
      line++;
    } else if (text.startsWith('-')) {
      current = undefined;
    }
  }
  return runs;
}
