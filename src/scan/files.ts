// Working-tree scan: walks the tree, reads and matches files on worker threads, and returns sorted findings.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createDetector, type Detector } from '../detect/detector.js';
import { walkFiles } from '../sources/walk.js';
import type { AllowlistSpec, Finding, RuleSpec, ScanNote } from '../types.js';
import { batchFiles } from './batches.js';
import { scanBatch, type BatchResult, type FileJob } from './scan-file.js';
import { crossFileChecks } from './cross-file.js';
import { isYamlPath, type YamlFile } from './sealed-twins.js';
import { readFileForScan } from '../sources/read-file.js';
import type { LearnedModel } from '../detect/learned/model.js';
import { fromWire } from './wire.js';
import { IN_PROCESS_BATCHES, ScanWorker, WORKER_ENTRY } from './worker-pool.js';

export interface ScanFilesOptions {
  /** Scan root: display paths are relative to it; symlinks are not followed out of it. */
  root: string;
  /** Files and folders to scan (absolute or relative to root). Default: the root. */
  paths?: string[];
  /** Walk everything instead of asking git (no .gitignore). */
  noGit?: boolean;
  /** Globs of paths to leave out, gitignore-like (`--exclude`): `*.min.js`, `vendor`, `docs/**\/*.md`. */
  exclude?: string[];
  /** Worker threads; default `os.availableParallelism()`. 1 scans in this thread. */
  threads?: number;
  /** Files over this many bytes are skipped with a note (default 10 MiB). */
  maxFileSize?: number;
  config: { rules: RuleSpec[]; allowlists: AllowlistSpec[]; learned?: LearnedModel };
  fingerprintKey: Buffer;
  /** The detector made from `config` and `fingerprintKey`, when the caller has one already (saves compiling it twice). */
  detector?: Detector;
  /** Called after each batch of files with the running totals. */
  onProgress?(progress: ScanProgress): void;
}

export interface ScanStats {
  /** Files read and scanned. */
  files: number;
  /** Bytes of the files scanned. */
  bytes: number;
  /** Inputs skipped (each has a note): binary, too large, unreadable, not a regular file... */
  skipped: number;
  ms: number;
  /** Threads that did the scanning (1 when it ran in this thread). */
  threads: number;
}

/** Running totals passed to `onProgress`. */
export interface ScanProgress extends ScanStats {
  findings: number;
}

export interface FilesScanResult {
  /** Sorted by path, line, column, rule: the same for any number of threads. */
  findings: Finding[];
  /** Sorted by input. */
  notes: ScanNote[];
  stats: ScanStats;
}

/**
 * Scans the files under `opts.paths`. The main thread walks and hands out batches of paths; each worker
 * reads, decodes and matches its files and sends findings back. At most two batches per worker are in
 * flight, so memory stays bounded whatever the size of the tree. A small tree (a few batches) is
 * scanned in this thread: starting workers would cost more than it saves.
 */
export async function scanFiles(opts: ScanFilesOptions): Promise<FilesScanResult> {
  const started = performance.now();
  const threads = opts.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new TypeError(`threads must be a positive integer, got ${String(opts.threads)}`);

  const notes: ScanNote[] = [];
  const findings: Finding[] = [];
  const stats: ScanStats = { files: 0, bytes: 0, skipped: 0, ms: 0, threads: 1 };
  const walk = walkFiles({ root: opts.root, ...(opts.paths ? { paths: opts.paths } : {}), noGit: opts.noGit ?? false, exclude: opts.exclude ?? [] });
  const batches = batchFiles(walk, (note) => {
    notes.push(note);
    stats.skipped++;
  });
  const add = (r: BatchResult): void => {
    findings.push(...r.findings);
    notes.push(...r.notes);
    stats.files += r.files;
    stats.bytes += r.bytes;
    stats.skipped += r.skipped;
    opts.onProgress?.({ ...stats, ms: performance.now() - started, findings: findings.length });
  };

  // Look ahead a few batches (one more than the limit, to learn whether the walk ends within it).
  const ready: FileJob[][] = [];
  let walkDone = false;
  while (threads > 1 && !walkDone && ready.length <= IN_PROCESS_BATCHES) {
    const next = await batches.next();
    if (next.done) walkDone = true;
    else ready.push(next.value);
  }
  // YAML files are remembered for the one check across files: a Secret next to its SealedSecret.
  const yamlFiles: YamlFile[] = [];
  // Every path handed out, to tell whether a compose env_file reference names a file in the repository.
  const scanned = new Set<string>();
  const take = async (): Promise<FileJob[] | undefined> => {
    const batch = ready.shift() ?? (await batches.next()).value ?? undefined;
    for (const file of batch ?? []) {
      scanned.add(file.path);
      if (isYamlPath(file.path)) yamlFiles.push(yamlOnDisk(file, opts.maxFileSize));
    }
    return batch;
  };

  let mainDetector = opts.detector;
  const inThisThread = (): Detector => (mainDetector ??= createDetector(opts.config, { fingerprintKey: opts.fingerprintKey }).detector);
  if (threads === 1 || walkDone || !existsSync(fileURLToPath(WORKER_ENTRY))) {
    const detector = inThisThread();
    for (let batch = await take(); batch; batch = await take()) add(await scanBatch(batch, detector, opts.maxFileSize));
  } else {
    stats.threads = threads;
    const init = { config: opts.config, fingerprintKey: opts.fingerprintKey, ...(opts.maxFileSize === undefined ? {} : { maxFileSize: opts.maxFileSize }) };
    const workers = Array.from({ length: threads }, () => new ScanWorker(WORKER_ENTRY, init));
    const lane = async (worker: ScanWorker): Promise<void> => {
      for (let batch = await take(); batch; batch = await take()) {
        const r = await worker.scan(batch);
        add({ ...r, findings: r.findings.map(fromWire) });
      }
    };
    try {
      await Promise.all(workers.flatMap((w) => [lane(w), lane(w)]));
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  }

  const confirmed = (await crossFileChecks(findings, { paths: scanned, yaml: yamlFiles }, inThisThread)).sort(compareFindings);
  notes.sort((a, b) => compare(a.input, b.input) || compare(a.message, b.message));
  stats.ms = performance.now() - started;
  return { findings: confirmed, notes, stats };
}

function yamlOnDisk(file: FileJob, maxFileSize: number | undefined): YamlFile {
  return {
    path: file.path,
    provenance: { kind: 'file', path: file.path },
    text: async () => {
      // The walk's dev:inode, as the scan's own read checks it: a file swapped after the walk is not read.
      const read = await readFileForScan(file.abs, file.path, { ...(maxFileSize === undefined ? {} : { maxFileSize }), ...(file.id ? { expectId: file.id } : {}) });
      return 'note' in read ? undefined : read.text;
    },
  };
}

/** Path, then line, column and rule: a total order so output does not depend on thread timing. */
export function compareFindings(a: Finding, b: Finding): number {
  const x = a.location;
  const y = b.location;
  return (
    compare(x.path, y.path) ||
    x.startLine - y.startLine ||
    x.startColumn - y.startColumn ||
    compare(a.ruleId, b.ruleId) ||
    x.endLine - y.endLine ||
    x.endColumn - y.endColumn ||
    compare(a.fingerprint, b.fingerprint)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
