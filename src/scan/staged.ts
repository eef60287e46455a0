// The pre-commit scan as a library call: staged files whole through the corridor, findings on added lines kept.
import type { Detector } from '../detect/detector.js';
import { DEFAULT_MAX_BLOB_SIZE } from '../sources/git/history.js';
import { runGit } from '../sources/git/safe-git.js';
import { StagedSource } from '../sources/git/staged.js';
import type { Finding, ScanNote } from '../types.js';
import { fileChunks } from './corridor.js';
import { crossFileChecks, yamlBlobs, type ScannedTree } from './cross-file.js';
import { ENV_FILE_RULE } from './env-file-refs.js';
import { isYamlPath } from './sealed-twins.js';

export interface StagedScanOptions {
  /** The repository's top level. */
  repo: string;
  maxFileSize?: number;
  /** The index to read (a hook's GIT_INDEX_FILE), absolute. */
  indexFile?: string;
}

/**
 * Scans what the next commit would add. Each staged file is read whole (a format parser cannot read bare
 * runs of added lines) and goes through the corridor as any file does; a finding is kept when one of the
 * lines it spans is added by the commit. The checks across files read the index, the tree the commit will have.
 * Throws when git cannot diff the index. The detector may still be in the making: git diffs the index and
 * reads the blobs meanwhile (a commit hook waits for every git start); if it fails, git is stopped.
 */
export async function scanStaged(opts: StagedScanOptions, detectorReady: Detector | Promise<Detector>): Promise<{ findings: Finding[]; notes: ScanNote[] }> {
  const ready = Promise.resolve(detectorReady);
  ready.catch(() => undefined); // awaited below; its failure must not count as unhandled meanwhile
  const source = new StagedSource(opts.repo, { ...(opts.maxFileSize !== undefined ? { maxBlobSize: opts.maxFileSize } : {}), ...(opts.indexFile ? { indexFile: opts.indexFile } : {}) });
  const findings: Finding[] = [];
  const notes: ScanNote[] = [];
  for await (const file of source.files()) {
    const detector = await ready;
    const result = fileChunks(file, opts.maxFileSize !== undefined ? { maxFileSize: opts.maxFileSize } : {});
    notes.push(...result.notes);
    for (const chunk of result.chunks) {
      findings.push(...detector.detect(chunk, notes).filter((f) => touchesAdded(f, source)));
    }
  }
  notes.push(...source.notes);
  const staged = [...source.addedLines.keys()];
  if (!staged.some(isYamlPath) && !findings.some((f) => f.ruleId === ENV_FILE_RULE)) return { findings, notes };
  const tree = await indexTree(opts, staged);
  const detector = await ready;
  const checked = await crossFileChecks(findings, tree, () => detector);
  return { findings: checked.filter((f) => touchesAdded(f, source)), notes };
}

/** Every path in the index, and its YAML files in the folders of staged YAML files (read from the index). */
async function indexTree(opts: StagedScanOptions, staged: string[]): Promise<ScannedTree> {
  const res = await runGit(opts.repo, ['ls-files', '--stage', '-z'], undefined, opts.indexFile ? { GIT_INDEX_FILE: opts.indexFile } : {});
  if (res.code !== 0) throw new Error(`${opts.repo}: git ls-files --stage failed: ${res.stderr.trim()}`);
  const folders = new Set(staged.filter(isYamlPath).map((p) => p.slice(0, p.lastIndexOf('/') + 1)));
  const paths = new Set<string>();
  const blobs = [];
  for (const record of res.stdout.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [, oid] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    paths.add(path);
    if (isYamlPath(path) && folders.has(path.slice(0, path.lastIndexOf('/') + 1))) blobs.push({ oid: oid!, path, provenance: { kind: 'staged' as const, path, blob: oid! } });
  }
  return { paths, yaml: await yamlBlobs(opts.repo, blobs, opts.maxFileSize ?? DEFAULT_MAX_BLOB_SIZE) };
}

function touchesAdded(f: Finding, source: StagedSource): boolean {
  for (let line = f.location.startLine; line <= f.location.endLine; line++) if (source.isAdded(f.location.path, line)) return true;
  return false;
}
