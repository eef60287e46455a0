// The staged source: the files the next commit would change, read whole from the index, and which lines it adds.
import type { ScanNote } from '../../types.js';
import type { FileInput } from '../file-input.js';
import { catFileBatch } from './cat-file-batch.js';
import { DEFAULT_MAX_BLOB_SIZE } from './history.js';
import { runGit } from './safe-git.js';

/** Options that pin down diff output whatever the repository's config says. */
const DIFF_ARGS = ['diff', '--cached', '-M', '--no-relative', '--no-color', '--no-ext-diff', '--no-textconv', '-O/dev/null', '--diff-filter=ACMRT', '--ignore-submodules=all'];

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
 * Files for a pre-commit scan: every file the commit adds or changes, read whole from the index (never the
 * working tree), so that format parsers see the whole Dockerfile or manifest. `addedLines` says which of their
 * lines the commit adds (all of a new file; only the added lines of a changed or renamed one): a scan keeps the
 * findings that touch them. `repo` is the repository's top level.
 */
export class StagedSource {
  readonly notes: ScanNote[] = [];
  /** Per staged path: the added line numbers, or 'all' (a new file, or one git will not diff). */
  readonly addedLines = new Map<string, Set<number> | 'all'>();

  /** `indexFile`: the GIT_INDEX_FILE git gave a hook (`git commit -a` and `git commit <paths>` use a temporary index). */
  constructor(
    private readonly repo: string,
    private readonly opts: { maxBlobSize?: number; indexFile?: string } = {},
  ) {}

  /** Whether line `line` of the staged file at `path` is one the commit adds. */
  isAdded(path: string, line: number): boolean {
    const added = this.addedLines.get(path);
    return added === 'all' || (added?.has(line) ?? false);
  }

  async *files(): AsyncGenerator<FileInput> {
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

    const wanted: StagedEntry[] = [];
    for (const [i, entry] of entries.entries()) {
      if (entry.mode === '160000') continue;
      const section = sections[i]!;
      // Files git calls binary (perhaps only by a .gitattributes `-diff`) are judged whole, by content.
      const whole = entry.status === 'A' || isBinaryPatch(section);
      const added = whole ? 'all' : new Set(addedRuns(section).flatMap((run) => run.lines.map((_, k) => run.startLine + k)));
      // A change that only deletes lines adds nothing to find.
      if (added !== 'all' && added.size === 0) continue;
      this.addedLines.set(entry.path, added);
      wanted.push(entry);
    }
    if (wanted.length === 0) return;
    const requests = wanted.map((e) => ({ oid: e.blob, label: e.path }));
    for await (const obj of catFileBatch(this.repo, requests, { maxSize: maxBlobSize })) {
      const path = obj.label ?? obj.oid;
      if (obj.missing) this.notes.push({ level: 'error', input: path, message: `staged blob ${obj.oid} is missing from the object store` });
      else yield { path, provenance: { kind: 'staged', path, blob: obj.oid }, bytes: obj.content ?? null, size: obj.size };
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
