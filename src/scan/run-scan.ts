// The scan pipeline as one library call: set up, scan the target, drop ignored and baseline findings, verify.
// Each target's modules and verification load only when used: a pre-commit scan never needs the history walk,
// the worker pool or the HTTP client (importing node:http alone costs a tenth of a small scan on Node 22).
import type { ConfigProblem, Finding, RuleMeta, ScanInfo, ScanNote } from '../types.js';
import type { SourceItem } from '../sources/file-input.js';
import type { ScanFilesOptions, ScanStats } from './files.js';
import type { HistoryScanOptions } from './history.js';
import { setUpScan, type ScanSetup, type SetupOptions } from './setup.js';
import type { HistoryStats } from '../sources/git/history.js';

/** What to scan. Paths are absolute. */
export type ScanTarget =
  | ({ kind: 'files' } & Omit<ScanFilesOptions, 'config' | 'fingerprintKey' | 'maxFileSize'>)
  | { kind: 'staged'; /** The repository's top level. */ repo: string; indexFile?: string }
  | ({ kind: 'history' } & Omit<HistoryScanOptions, 'maxBlobSize'>)
  /** Items of other sources (image archives, CI logs): files go through the corridor, text as it is. */
  | { kind: 'items'; mode: 'image' | 'ci-log'; root: string; sources: ItemSource[] };

/** A source of items, named for notes; `notes` is read after its items are. */
export interface ItemSource {
  display: string;
  items(): AsyncIterable<SourceItem>;
  notes: ScanNote[];
}

export interface RunScanOptions extends Omit<SetupOptions, 'root'> {
  target: ScanTarget;
  /** Where config and ignore files are looked up; default: the target's root or repository. */
  root?: string;
  /** Files and blobs over this many bytes are skipped with a note (default 10 MiB). */
  maxFileSize?: number;
  /** Check each secret with its provider (network). `onlyVerified`: keep only those verified active. */
  verify?: { onlyVerified?: boolean; allowInternal?: boolean };
}

export interface RunScanResult {
  /** After the ignore file, the baseline and (when asked) verification. */
  findings: Finding[];
  notes: ScanNote[];
  rules: RuleMeta[];
  info: ScanInfo;
  /** Configuration warnings. */
  problems: ConfigProblem[];
  /** Findings dropped by the ignore file or the baseline. */
  suppressed: number;
  /** Inputs read (files, blobs, chunks): 0 with error notes means nothing could be scanned. */
  scanned: number;
  /** What setup loaded, for --debug. */
  debug: string[];
  stats?: ScanStats | HistoryStats;
}

/**
 * Runs a whole scan in this process: what `spillway scan`, `scan --staged`, `history`, `image` and `logs`,
 * the GitHub Action and the org audit all call. Throws a ScanSetupError when the configuration is wrong,
 * and an Error when the target cannot be scanned at all (not a repository, git failing).
 */
export async function runScan(opts: RunScanOptions): Promise<RunScanResult> {
  const target = opts.target;
  const startedAt = new Date().toISOString();
  const root = opts.root ?? (target.kind === 'history' ? (target.repoInfo?.root ?? target.repo) : target.kind === 'staged' ? target.repo : target.root);
  const settingUp = setUpScan({ ...opts, root });
  const limit = opts.maxFileSize !== undefined ? { maxFileSize: opts.maxFileSize } : {};
  // A pre-commit scan diffs the index and reads its blobs while the rules load. A setup error still comes first.
  const staged = target.kind === 'staged' ? scanStagedWhileSettingUp(target, limit, settingUp) : undefined;
  staged?.catch(() => undefined);
  const setup = await settingUp;
  let found: { findings: Finding[]; notes: ScanNote[]; info: ScanInfo; scanned: number; stats?: ScanStats | HistoryStats };
  switch (target.kind) {
    case 'files': {
      const { kind: _kind, ...files } = target;
      const { scanFiles } = await import('./files.js');
      const r = await scanFiles({ ...files, ...limit, config: setup.config, fingerprintKey: setup.fingerprintKey, detector: setup.detector });
      found = { ...r, info: { root: target.root, mode: 'files', startedAt }, scanned: r.stats.files, stats: r.stats };
      break;
    }
    case 'staged': {
      const r = await staged!;
      found = { ...r, info: { root: target.repo, mode: 'staged', startedAt }, scanned: 1 };
      break;
    }
    case 'history': {
      const { kind: _kind, ...history } = target;
      const { scanHistory } = await import('./history.js');
      const r = await scanHistory({ ...history, env: opts.env, ...(opts.maxFileSize !== undefined ? { maxBlobSize: opts.maxFileSize } : {}) }, setup.detector, { config: setup.config, fingerprintKey: setup.fingerprintKey });
      found = { ...r, scanned: r.stats.scanned, stats: r.stats };
      break;
    }
    case 'items': {
      const findings: Finding[] = [];
      const notes: ScanNote[] = [];
      let scanned = 0;
      const { scanItems } = await import('./corridor.js');
      for (const source of target.sources) {
        try {
          const r = await scanItems(source.items(), setup.detector, { ...limit, display: source.display, ...(target.mode === 'image' ? { skipNotes: 'count' as const, tree: true } : {}) });
          findings.push(...r.findings);
          notes.push(...r.notes);
          scanned += r.scanned;
        } catch (error) {
          notes.push({ level: 'error', input: source.display, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
        }
        notes.push(...source.notes);
      }
      found = { findings, notes, info: { root: target.root, mode: target.mode, startedAt }, scanned };
      break;
    }
  }
  const { findings: kept, suppressed } = setup.suppress(found.findings);
  const verified = opts.verify ? await verify(kept, opts) : { findings: kept, notes: [] };
  return {
    findings: verified.findings,
    notes: [...found.notes, ...verified.notes],
    rules: setup.detector.rules,
    info: { ...found.info, finishedAt: found.info.finishedAt ?? new Date().toISOString(), fingerprintKeyId: setup.fingerprintKeyId },
    problems: setup.problems,
    suppressed,
    scanned: found.scanned,
    debug: setup.debug,
    ...(found.stats ? { stats: found.stats } : {}),
  };
}

async function scanStagedWhileSettingUp(target: { repo: string; indexFile?: string }, limit: { maxFileSize?: number }, setup: Promise<ScanSetup>) {
  const { scanStaged } = await import('./staged.js');
  return scanStaged({ repo: target.repo, ...limit, ...(target.indexFile ? { indexFile: target.indexFile } : {}) }, setup.then((s) => s.detector));
}

async function verify(findings: Finding[], opts: RunScanOptions): Promise<{ findings: Finding[]; notes: ScanNote[] }> {
  const { verifyFindings } = await import('../verify/verify-findings.js');
  const result = await verifyFindings(findings, { allowInternal: opts.verify?.allowInternal ?? false, env: opts.env });
  const kept = opts.verify?.onlyVerified ? result.findings.filter((f) => f.validation === 'verified-active') : result.findings;
  return { findings: kept, notes: result.notes };
}
