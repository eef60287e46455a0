// Writes CredData's labelled files at their pinned commits, under their original paths, from local git mirrors.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

/** The git directory of a mirror made by the search tool's `fetch` (owner+name/repo, or repo/.git). */
export function mirrorGitDir(mirrors, name) {
  const base = join(mirrors, name.replace('/', '+'), 'repo');
  if (existsSync(join(base, '.git'))) return join(base, '.git');
  if (existsSync(join(base, 'HEAD'))) return base;
  return undefined;
}

/** CredData's FileID of a path relative to the repository root. */
export const fileIdOf = (path) => createHash('sha256').update(path, 'utf8').digest('hex').slice(0, 8);

/**
 * Materialises one repository's labelled files under `<reposDir>/<repo-id>/<original path>`.
 * Returns the original path of each FileID found, and the FileIDs that could not be had (not in the tree at
 * the pinned commit, or a blob the mirror lacks: snapshots leave out files of 4 MiB and more).
 * A state file records what was written, so an unchanged repository is not written again.
 */
export function materialiseRepo({ repo, gitDir, labels, reposDir, stateDir }) {
  const stateFile = join(stateDir, `${repo.id}.json`);
  const wanted = new Map();
  for (const l of labels) wanted.set(l.fileId, l.dataPath);
  if (existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    if (state.sha === repo.sha && state.wanted === wanted.size) return state;
  }
  const root = join(reposDir, repo.id);
  rmSync(root, { recursive: true, force: true });
  const tree = execFileSync('git', [`--git-dir=${gitDir}`, 'ls-tree', '-r', '-z', repo.sha], { maxBuffer: 1 << 30 })
    .toString('utf8')
    .split('\0')
    .filter((e) => e !== '');
  const blobs = [];
  for (const entry of tree) {
    const tab = entry.indexOf('\t');
    const [mode, type, oid] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    // CredData skips symlinks, .git internals and .xml files; a FileID's extension must agree with the path's.
    if (type !== 'blob' || mode === '120000' || path.toLowerCase().endsWith('.xml')) continue;
    const dataPath = wanted.get(fileIdOf(path));
    if (dataPath === undefined || !dataPath.endsWith(`${fileIdOf(path)}${extname(path).toLowerCase()}`)) continue;
    blobs.push({ fileId: fileIdOf(path), path, oid });
  }
  const paths = {};
  for (const b of readBlobs(gitDir, blobs)) {
    const out = join(root, b.path);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, b.bytes);
    paths[b.fileId] = b.path;
  }
  const missing = [...wanted.keys()].filter((id) => paths[id] === undefined).sort();
  const state = { id: repo.id, name: repo.name, sha: repo.sha, wanted: wanted.size, paths, missing };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(state, null, 1)}\n`);
  return state;
}

/** Reads blobs with one `git cat-file --batch`; a blob the mirror lacks is left out. */
function* readBlobs(gitDir, blobs) {
  if (blobs.length === 0) return;
  const res = spawnSync('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch'], {
    input: blobs.map((b) => b.oid).join('\n') + '\n',
    maxBuffer: 2 ** 31,
  });
  if (res.status !== 0) throw new Error(`git cat-file in ${gitDir} failed: ${res.stderr}`);
  const out = res.stdout;
  let pos = 0;
  for (const b of blobs) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString('latin1').split(' ');
    pos = nl + 1;
    if (header[1] !== 'blob') continue; // "<oid> missing"
    const size = Number(header[2]);
    yield { ...b, bytes: out.subarray(pos, pos + size) };
    pos += size + 1;
  }
}
