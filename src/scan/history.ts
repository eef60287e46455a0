// The history audit as a library call: every reachable blob and message once, findings attributed to commits.
import { availableParallelism } from 'node:os';
import type { Detector } from '../detect/detector.js';
import type { Chunk, Finding, Provenance, ScanInfo, ScanNote } from '../types.js';
import { findBlobOrigins, type BlobOrigin } from '../sources/git/blob-origins.js';
import { cacheKey, defaultCachePath, openCleanCache, type CleanCache } from '../sources/git/cache.js';
import { commitMessageChunks, tagMessageChunks } from '../sources/git/commit-messages.js';
import { headBlobs, secretsAtHead } from '../sources/git/head-presence.js';
import { DEFAULT_MAX_BLOB_SIZE, HistorySource, type HistoryStats } from '../sources/git/history.js';
import { repoInfo, type RepoInfo } from '../sources/git/repo-info.js';
import { historyRewriteNotes } from '../sources/git/rewrites.js';
import { coversAllRefs, revisionArgs, type RevisionSelection } from '../sources/git/revisions.js';
import { scanBlobs, type BlobScanOptions } from './history-blobs.js';
import { historyCrossFileChecks } from './history-cross-file.js';

export interface HistoryScanOptions extends RevisionSelection {
  /** A work tree (any folder in it) or a bare repository. */
  repo: string;
  /** `repoInfo(repo)`, when the caller already has it. */
  repoInfo?: RepoInfo;
  /** `false`: no cache; a string: the cache file; default: `<git dir>/spillway/history-cache`. */
  cache?: boolean | string;
  /** Where the cache's signing key lives ($XDG_STATE_HOME, HOME); default process.env. */
  env?: Record<string, string | undefined>;
  maxBlobSize?: number;
  /** Called after each blob; `stats` is live, copy what you keep. */
  onProgress?: (stats: HistoryStats, findings: number) => void;
  /** Worker threads for detection; default `os.availableParallelism()`. 1 scans in this thread. */
  threads?: number;
  /** Clock for startedAt/finishedAt (tests pass a fixed one). */
  now?: () => Date;
}

export interface HistoryScanResult {
  findings: Finding[];
  notes: ScanNote[];
  info: ScanInfo;
  stats: HistoryStats;
}

/**
 * Audits a repository's history: each unique blob reachable from the selected commits is read once, passed
 * through the corridor (decoding, format chunking) and run through `detector`; commit and tag messages too. A finding in a blob is attributed to the earliest
 * commit that introduced that blob at a path (`alsoIn` lists the other introductions) and says whether
 * the secret is still present at HEAD. Detection runs on worker threads when `pool` says what their detector is
 * built from (the same rules and key as `detector`); the findings are the same either way. Throws only when
 * `repo` is not a repository or git cannot run.
 */
export async function scanHistory(opts: HistoryScanOptions, detector: Detector, pool?: BlobScanOptions['pool']): Promise<HistoryScanResult> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const repo = opts.repoInfo ?? (await repoInfo(opts.repo));
  const revArgs = revisionArgs(opts);
  const maxBlobSize = opts.maxBlobSize ?? DEFAULT_MAX_BLOB_SIZE;
  const notes: ScanNote[] = [];
  if (repo.shallowCommits.length) notes.push(shallowNote(repo));
  notes.push(...(await historyRewriteNotes(repo.root, repo.gitDir)));
  const cache = await openCache(opts, repo, detector.version, notes);

  // Messages are read by their own git process while the blobs stream.
  const messages = scanMessages(repo.root, opts, revArgs, detector, cache);
  messages.catch(() => undefined);
  const source = new HistorySource({ repo: repo.root, revArgs, maxBlobSize, ...(cache ? { skip: (oid: string) => cache.has(oid) } : {}) });
  const dirtyBlobs = new Map<string, Finding[]>();
  let found = 0;
  const threads = opts.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new TypeError(`threads must be a positive integer, got ${String(opts.threads)}`);
  const blobOptions = { detector, maxBlobSize, threads, ...(pool ? { pool } : {}) };
  source.stats.threads = await scanBlobs(source.files(), blobOptions, (file, { findings: hits, notes: fileNotes, skipped }) => {
    const blob = (file.provenance as { blob: string }).blob;
    if (skipped === 'binary') source.stats.binary++;
    else notes.push(...fileNotes);
    if (!skipped) source.stats.scanned++;
    if (hits.length) {
      dirtyBlobs.set(blob, hits);
      found += hits.length;
    } else cache?.add(blob);
    opts.onProgress?.(source.stats, found);
  });
  notes.push(...source.notes);
  if (source.stats.binary > 0) notes.push({ level: 'info', input: repo.root, message: `skipped ${source.stats.binary} binary blob(s)` });

  const [placed, head] = await Promise.all([
    attributeBlobFindings(repo, dirtyBlobs, revArgs, detector, notes),
    dirtyBlobs.size ? headBlobs(repo.root) : Promise.resolve(new Set<string>()),
  ]);
  const attributed = await historyCrossFileChecks(repo.root, placed, detector, maxBlobSize);
  await markPresenceAtHead(repo.root, attributed, head, maxBlobSize);
  const findings = onePerSecretAndPath(attributed);
  findings.push(...(await messages));

  notes.push({ level: 'info', input: repo.root, message: summary(source.stats, cache) });
  if (cache) {
    try {
      await cache.save();
    } catch (err) {
      notes.push({ level: 'warning', input: cache.path, message: `could not save the history cache: ${(err as Error).message}` });
    }
  }
  const info: ScanInfo = {
    root: repo.root,
    mode: 'history',
    repository: { ...(repo.remoteUrl ? { uri: repo.remoteUrl } : {}), ...(repo.head ? { revision: repo.head } : {}), ...(repo.branch ? { branch: repo.branch } : {}) },
    startedAt,
    finishedAt: now().toISOString(),
  };
  return { findings, notes, info, stats: source.stats };
}

async function openCache(opts: HistoryScanOptions, repo: RepoInfo, version: string, notes: ScanNote[]): Promise<CleanCache | undefined> {
  if (opts.cache === false) return undefined;
  const path = typeof opts.cache === 'string' ? opts.cache : defaultCachePath(repo.gitDir);
  const cache = await openCleanCache(path, version, await cacheKey(opts.env ?? process.env));
  if (cache.invalidated) notes.push({ level: cache.untrusted ? 'warning' : 'info', input: path, message: cache.invalidated });
  return cache;
}

/**
 * Moves each blob's findings to where the blob entered history: its earliest introducing commit and path
 * (the fingerprint follows the path), the other introductions in `alsoIn`. No blob is read again. Findings
 * come out in the order their blobs entered history (oldest first; blobs with no known origin last).
 */
async function attributeBlobFindings(
  repo: RepoInfo,
  byBlob: Map<string, Finding[]>,
  revArgs: string[],
  detector: Detector,
  notes: ScanNote[],
): Promise<Finding[]> {
  if (byBlob.size === 0) return [];
  const blobs = new Set(byBlob.keys());
  const origins = await findBlobOrigins(repo.root, blobs, revArgs);
  const unplaced = new Set([...blobs].filter((b) => !origins.has(b)));
  // A narrowed walk (a range, --since, --max-count) may not contain the commit that introduced a blob.
  if (unplaced.size) {
    for (const [oid, origin] of await findBlobOrigins(repo.root, unplaced, ['--all'])) origins.set(oid, origin);
  }
  const findings: Finding[] = [];
  const order = new Map([...origins.keys()].map((oid, i) => [oid, i]));
  const oldestFirst = [...byBlob].sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
  for (const [blob, found] of oldestFirst) {
    const origin = origins.get(blob);
    if (!origin) notes.push({ level: 'warning', input: `blob ${blob}`, message: 'found in history but no commit introducing it could be found (reachable only through a tag or note?)' });
    const provenance = gitProvenance(blob, origin, found[0]!.provenance.path);
    for (const f of found) {
      findings.push({
        ...f,
        provenance,
        location: { ...f.location, path: provenance.path },
        fingerprint: detector.fingerprintOf(f.ruleId, provenance.path, f.secret.reveal()),
      });
    }
  }
  return findings;
}

/**
 * One finding per secret and path (per fingerprint): the versions of a file that keep a secret unchanged are
 * blobs of their own, and each would report it again. The oldest version's findings are kept (`findings` is
 * oldest first); the commits that introduced the later versions join its `alsoIn`, after its own.
 */
export function onePerSecretAndPath(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, { blob: string; findings: Finding[]; alsoIn: { commit: string; path: string }[] }>();
  const others: Finding[] = [];
  for (const f of findings) {
    const p = f.provenance;
    if (p.kind !== 'git') {
      others.push(f);
      continue;
    }
    const group = groups.get(f.fingerprint);
    if (!group) groups.set(f.fingerprint, { blob: p.blob, findings: [f], alsoIn: [...(p.alsoIn ?? [])] });
    else if (group.blob === p.blob) group.findings.push(f);
    else group.alsoIn.push(...(p.commit ? [{ commit: p.commit, path: p.path }] : []), ...(p.alsoIn ?? []));
  }
  const merged = [...groups.values()].flatMap(({ findings: kept, alsoIn }): Finding[] => {
    const first = kept[0]!.provenance as Extract<Provenance, { kind: 'git' }>;
    const seen = new Set([`${first.commit}\0${first.path}`]);
    const places = alsoIn.filter((place) => {
      const key = `${place.commit}\0${place.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const provenance: Provenance = { ...first, alsoIn: places };
    if (places.length === 0) delete provenance.alsoIn;
    return kept.map((f) => ({ ...f, provenance }));
  });
  return [...merged, ...others];
}

function gitProvenance(blob: string, origin: BlobOrigin | undefined, listedPath: string): Provenance {
  if (!origin) return { kind: 'git', path: listedPath, blob, commit: '' };
  const { commit, path, author, email, date, alsoIn } = origin;
  return { kind: 'git', path, blob, commit, author, email, date, ...(alsoIn.length ? { alsoIn } : {}) };
}

/** Sets `presentAtHead` on each blob finding: its blob is at HEAD, or its secret occurs in a file there. */
async function markPresenceAtHead(repo: string, findings: Finding[], head: Set<string>, maxBlobSize: number): Promise<void> {
  if (findings.length === 0) return;
  const atHead = (f: Finding): boolean => f.provenance.kind === 'git' && head.has(f.provenance.blob);
  const seenAtHead = new Set(findings.filter(atHead).map((f) => f.secret.reveal()));
  const unresolved = findings.filter((f) => !seenAtHead.has(f.secret.reveal()));
  const distinct = [...new Map(unresolved.map((f) => [f.secret.reveal(), f.secret])).values()];
  const present = await secretsAtHead(repo, distinct, head, maxBlobSize);
  distinct.forEach((secret, i) => {
    if (present[i]) seenAtHead.add(secret.reveal());
  });
  for (const f of findings) {
    if (f.provenance.kind !== 'git') continue;
    const presentAtHead = seenAtHead.has(f.secret.reveal());
    f.provenance = { ...f.provenance, presentAtHead };
    const where = presentAtHead
      ? 'Still present at HEAD.'
      : 'No longer present at HEAD, but still in git history: anyone with a clone can read it; rotate it.';
    f.message = f.message ? `${f.message} ${where}` : where;
  }
}

async function scanMessages(repo: string, sel: RevisionSelection, revArgs: string[], detector: Detector, cache: CleanCache | undefined): Promise<Finding[]> {
  const findings: Finding[] = [];
  const skip = (oid: string): boolean => cache?.has(oid) ?? false;
  const scan = async (chunks: AsyncIterable<Chunk>): Promise<void> => {
    for await (const chunk of chunks) {
      const hits = detector.detect(chunk);
      const id = chunk.provenance.kind === 'commit-message' ? (chunk.provenance.tag ? undefined : chunk.provenance.commit) : undefined;
      if (hits.length) findings.push(...hits);
      else if (id) cache?.add(id);
    }
  };
  await scan(commitMessageChunks(repo, revArgs, skip));
  if (coversAllRefs(sel)) await scan(tagMessageChunks(repo));
  return findings;
}

function shallowNote(repo: RepoInfo): ScanNote {
  const shown = repo.shallowCommits.slice(0, 5).map((c) => c.slice(0, 12)).join(', ');
  const more = repo.shallowCommits.length > 5 ? ', ...' : '';
  return {
    level: 'warning',
    input: repo.root,
    message:
      `shallow clone: history before ${repo.shallowCommits.length} boundary commit(s) (${shown}${more}) was not fetched. ` +
      'Secrets added and removed before them cannot be seen, and files already present at a boundary commit are attributed to it. ' +
      'Run `git fetch --unshallow` for a full audit.',
  };
}

function summary(stats: HistoryStats, cache: CleanCache | undefined): string {
  const parts = [`${stats.listed} unique blob(s) reachable`, `${stats.scanned} scanned`];
  if (cache) parts.push(`${stats.cached} known clean from the cache`);
  if (stats.binary) parts.push(`${stats.binary} binary`);
  if (stats.oversize) parts.push(`${stats.oversize} over the size limit`);
  if (stats.missing) parts.push(`${stats.missing} missing`);
  return `history: ${parts.join(', ')} (${(stats.bytes / 1e6).toFixed(1)} MB read)`;
}
