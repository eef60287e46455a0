// Lists the files a working-tree scan reads: git's view of the tree (honouring .gitignore) or a plain fs walk.
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isInside } from '../safe-fs.js';
import type { ScanNote } from '../types.js';
import { fsErrorText } from './fs-errors.js';
import { excludeMatcher } from './glob.js';
import { runGit } from './git/safe-git.js';

export interface WalkOptions {
  /** Scan root: display paths are relative to it, and symlinks are not followed out of it. */
  root: string;
  /** Files or directories to scan, absolute or relative to `root`. Default: the root itself. */
  paths?: string[];
  /** Walk everything with fs instead of asking git (no .gitignore). */
  noGit?: boolean;
  /** Globs of paths to leave out (see `excludeMatcher`). */
  exclude?: string[];
}

/**
 * A path as fs takes it: a string, or the raw bytes when a name in it is not valid UTF-8 (a string
 * would turn those bytes into U+FFFD and name a file that does not exist).
 */
export type FsPath = string | Buffer;

/** A regular file to read. */
export interface WalkFile {
  kind: 'file';
  /** Absolute path to open (symlinks already resolved). */
  abs: FsPath;
  /** Display path: POSIX, relative to the root. */
  path: string;
  size: number;
  /** `dev:ino` of the file the walk checked: the read opens only this file (see `ReadOptions.expectId`). */
  id: string;
}

/** Something the walk skipped or could not read. */
export interface WalkNote {
  kind: 'note';
  note: ScanNote;
}

export type WalkItem = WalkFile | WalkNote;

interface WalkState {
  root: string;
  boundary: string;
  noGit: boolean;
  /** dev:ino of every directory and file already visited: no loops, nothing read twice. */
  seen: Set<string>;
  excluded: (path: string) => boolean;
}

/**
 * Yields the files to scan under `opts.paths`, in a stable order, with notes for what was skipped.
 * Inside a git checkout, lists what `git ls-files --cached --others --exclude-standard` lists;
 * elsewhere (or with `noGit`) walks the directories, skipping `.git/`. Symlinks are followed only
 * when they resolve inside the root; FIFOs, sockets and devices are never opened.
 * NOTE: the file system calls are synchronous: a promise per lstat cost four times the CPU of the call itself.
 */
export async function* walkFiles(opts: WalkOptions): AsyncGenerator<WalkItem> {
  const root = realpathSync.native(resolve(opts.root));
  // Shared by all paths: `scan src src/app.ts` reads src/app.ts once.
  const seen = new Set<string>();
  const excluded = excludeMatcher(opts.exclude ?? []);
  for (const p of opts.paths?.length ? opts.paths : ['.']) {
    const given = resolve(root, p);
    let abs: string;
    try {
      abs = realpathSync.native(given);
    } catch (err) {
      yield note('error', displayPath(root, given), `cannot read: ${fsErrorText(err)}`);
      continue;
    }
    const boundary = isInside(root, abs) ? root : abs;
    yield* walkPath({ root, boundary, noGit: opts.noGit ?? false, seen, excluded }, abs, displayPath(root, given));
  }
}

async function* walkPath(state: WalkState, abs: string, display: string): AsyncGenerator<WalkItem> {
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (err) {
    yield note('error', display, `cannot read: ${fsErrorText(err)}`);
    return;
  }
  if (st.isDirectory()) {
    if (!state.noGit && (yield* gitWalk(state, abs))) return;
    yield* fsWalk(state, abs, st);
  } else {
    yield* visit(state, abs, display, st);
  }
}

/** Walks `dir` with git's file list. Returns false when `dir` is not in a git work tree. */
async function* gitWalk(state: WalkState, dir: string): AsyncGenerator<WalkItem, boolean> {
  let listing;
  try {
    listing = await runGit(dir, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  } catch {
    return false;
  }
  if (listing.code !== 0) return false;
  for (const name of sortedNames(splitNul(listing.stdout))) {
    const abs = childPath(dir, name);
    let st: Stats;
    try {
      st = lstatSync(abs);
    } catch (err) {
      // A tracked file deleted from the working tree: nothing to scan there.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      yield note('error', displayPath(state.root, abs), `cannot read: ${fsErrorText(err)}`);
      continue;
    }
    if (st.isDirectory()) yield* nestedRepository(state, abs, st);
    else yield* visit(state, abs, displayPath(state.root, abs), st, true);
  }
  return true;
}

/**
 * A folder git lists as one entry: a checked-out submodule or an untracked nested repository is
 * scanned as its own repository (with its own ignore rules); a submodule that was never checked out
 * (an empty folder, no `.git`) is skipped with a note. Each folder is entered once.
 */
async function* nestedRepository(state: WalkState, abs: FsPath, st: Stats): AsyncGenerator<WalkItem> {
  const display = displayPath(state.root, abs);
  const id = `${st.dev}:${st.ino}`;
  if (state.seen.has(id) || state.excluded(display)) return;
  state.seen.add(id);
  try {
    lstatSync(childPath(abs, Buffer.from('.git')));
  } catch {
    yield note('info', display, 'skipped: submodule not checked out (git submodule update --init to scan it)');
    return;
  }
  if (yield* gitWalk(state, pathText(abs))) return;
  state.seen.delete(id); // not a work tree after all: walk it as plain folders
  yield* fsWalk(state, abs, st);
}

/** A folder being walked: its sorted entries and the next one to look at. */
interface Frame {
  dir: FsPath;
  names: Buffer[];
  next: number;
  depth: number;
}

/** Deeper folders are not entered (a note says so): a hostile tree of 100,000 nested folders must not exhaust us. */
export const MAX_FOLDER_DEPTH = 1000;

/** Walks `top` depth first with an explicit stack (no recursion), in sorted order, each folder once. */
async function* fsWalk(state: WalkState, top: FsPath, topSt: Stats): AsyncGenerator<WalkItem> {
  const stack: Frame[] = [];
  const first = yield* openFolder(state, top, topSt, 0);
  if (first) stack.push(first);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const name = frame.names[frame.next++];
    if (name === undefined) {
      stack.pop();
      continue;
    }
    const abs = childPath(frame.dir, name);
    let entry: Stats;
    try {
      entry = lstatSync(abs);
    } catch (err) {
      yield note('error', displayPath(state.root, abs), `cannot read: ${fsErrorText(err)}`);
      continue;
    }
    let folder: { dir: FsPath; st: Stats } | undefined;
    if (entry.isDirectory()) {
      if (name.toString('latin1') !== '.git' && !state.excluded(displayPath(state.root, abs))) folder = { dir: abs, st: entry };
    } else {
      folder = yield* visit(state, abs, displayPath(state.root, abs), entry, false);
    }
    const child = folder && (yield* openFolder(state, folder.dir, folder.st, frame.depth + 1));
    if (child) stack.push(child);
  }
}

/** Reads a folder's entries, unless it was seen already or is too deep (with a note), or cannot be read (with a note). */
async function* openFolder(state: WalkState, dir: FsPath, st: Stats, depth: number): AsyncGenerator<WalkItem, Frame | undefined> {
  const id = `${st.dev}:${st.ino}`;
  if (state.seen.has(id)) return undefined;
  state.seen.add(id);
  if (depth > MAX_FOLDER_DEPTH) {
    yield note('warning', displayPath(state.root, dir), `skipped: more than ${MAX_FOLDER_DEPTH} folders deep (nothing under it is scanned)`);
    return undefined;
  }
  try {
    return { dir, names: sortedNames(readdirSync(dir, { encoding: 'buffer' })), next: 0, depth };
  } catch (err) {
    yield note('error', displayPath(state.root, dir), `cannot read folder: ${fsErrorText(err)}`);
    return undefined;
  }
}

/**
 * Handles one non-directory entry (from lstat): regular files are yielded, symlinks resolved within
 * the boundary, anything else skipped. A symlinked folder is returned for the fs walk to enter; in git
 * mode it is skipped: git lists its files.
 */
async function* visit(state: WalkState, abs: FsPath, display: string, st: Stats, fromGit = false): AsyncGenerator<WalkItem, { dir: FsPath; st: Stats } | undefined> {
  if (state.excluded(display)) return undefined;
  if (st.isSymbolicLink()) {
    let target: FsPath;
    let tst: Stats;
    try {
      target = textIfUtf8(realpathSync.native(abs, { encoding: 'buffer' }));
      tst = statSync(target);
    } catch (err) {
      // Nothing behind the link to scan, but the user hears why it was passed over.
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ELOOP' ? 'skipped: symlink loop' : code === 'ENOENT' ? 'skipped: dangling symlink' : `cannot read: ${fsErrorText(err)}`;
      yield note('info', display, why);
      return undefined;
    }
    if (!isInside(state.boundary, pathText(target))) {
      yield note('info', display, `skipped: symlink to ${pathText(target)}, outside the scanned folder`);
      return undefined;
    }
    if (tst.isDirectory()) return fromGit ? undefined : { dir: target, st: tst };
    yield* visit(state, target, display, tst, fromGit);
    return undefined;
  }
  if (!st.isFile()) {
    yield note('info', display, `skipped: not a regular file (${fileType(st)})`);
    return undefined;
  }
  const id = `${st.dev}:${st.ino}`;
  if (state.seen.has(id)) return undefined;
  state.seen.add(id);
  yield { kind: 'file', abs, path: display, size: st.size, id };
  return undefined;
}

function fileType(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'unknown type';
}

/** POSIX path relative to the root (`.` for the root itself); absolute when outside it. */
function displayPath(root: string, path: FsPath): string {
  const abs = pathText(path);
  const rel = relative(root, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return abs.split(sep).join('/');
  return rel.split(sep).join('/');
}

function note(level: ScanNote['level'], input: string, message: string): WalkNote {
  return { kind: 'note', note: { level, input, message } };
}

/** `dir/name`, as a string when every byte of it is UTF-8, else as raw bytes. */
function childPath(dir: FsPath, name: Buffer): FsPath {
  if (typeof dir === 'string') {
    const text = textIfUtf8(name);
    if (typeof text === 'string') return join(dir, text);
  }
  return Buffer.concat([Buffer.from(dir), Buffer.from(sep), name]);
}

/** The bytes as a string when they are valid UTF-8 (and so name the same file), else the bytes. */
function textIfUtf8(bytes: Buffer): FsPath {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : bytes;
}

/** A path for display and comparison: bytes that are not UTF-8 show as U+FFFD. */
function pathText(path: FsPath): string {
  return typeof path === 'string' ? path : path.toString('utf8');
}

/** Entry names in a stable order: by their text, then by their bytes. */
function sortedNames(names: Buffer[]): Buffer[] {
  return names.sort((a, b) => {
    const x = a.toString('utf8');
    const y = b.toString('utf8');
    return x < y ? -1 : x > y ? 1 : Buffer.compare(a, b);
  });
}

/** The non-empty NUL-separated names of `git ls-files -z`, without duplicates. */
function splitNul(out: Buffer): Buffer[] {
  const names = new Map<string, Buffer>();
  let start = 0;
  for (let end = out.indexOf(0); end !== -1; start = end + 1, end = out.indexOf(0, start)) {
    if (end > start) names.set(out.toString('latin1', start, end), out.subarray(start, end));
  }
  if (start < out.length) names.set(out.toString('latin1', start), out.subarray(start));
  return [...names.values()];
}
