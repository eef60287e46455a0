// CredData's labels for the repositories of train-repos.tsv, read from a local mirror of github:Samsung/CredData.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** The repositories we may use: `# repo-id<TAB>pinned_sha<TAB>owner/repo<TAB>T_rows` lines. */
export function readRepoList(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [id, sha, name] = l.split('\t');
      if (!/^[0-9a-f]{8}$/.test(id ?? '') || !/^[0-9a-f]{40}$/.test(sha ?? '') || !name?.includes('/')) {
        throw new Error(`${file}: not a repo-id, pinned sha and owner/repo line: ${JSON.stringify(l.slice(0, 120))}`);
      }
      return { id, sha, name: name.trim() };
    });
}

const git = (gitDir, args) => execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });

/** CredData's repo-id: CRC32 of the unhexlified snapshot key (download_data.py, get_new_repo_id). */
export const repoIdOf = (snapshotKey) => crc32(Buffer.from(snapshotKey, 'hex')).toString(16).padStart(8, '0');

/** Checks each listed repo-id against snapshot.json: same id, same repository, same commit. */
export function checkSnapshot(labelsGitDir, repos) {
  const snapshot = JSON.parse(git(labelsGitDir, ['show', 'HEAD:snapshot.json']));
  const byId = new Map(Object.entries(snapshot).map(([key, url]) => [repoIdOf(key), { key, url }]));
  const problems = [];
  for (const r of repos) {
    const s = byId.get(r.id);
    if (!s) problems.push(`${r.id}: not in CredData's snapshot.json`);
    else if (!s.key.startsWith(r.sha) || s.url.toLowerCase().replace(/\.git$/, '') !== `https://github.com/${r.name}`.toLowerCase()) {
      problems.push(`${r.id}: snapshot.json says ${s.url} at ${s.key.slice(0, 12)}, the list says ${r.name} at ${r.sha.slice(0, 12)}`);
    }
  }
  return problems;
}

/**
 * The label rows of one repository (meta/<repo-id>.csv), as objects. Categories are split on ':'.
 * Columns: Id, FileID, Domain, RepoName, FilePath, LineStart, LineEnd, GroundTruth, ValueStart, ValueEnd,
 * CryptographyKey, PredefinedPattern, Category.
 */
export function readLabels(labelsGitDir, repoId) {
  const lines = git(labelsGitDir, ['show', `HEAD:meta/${repoId}.csv`]).split(/\r?\n/).filter((l) => l !== '');
  const header = lines.shift()?.split(',') ?? [];
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`meta/${repoId}.csv: no column ${name}`);
    return i;
  };
  const c = Object.fromEntries(['Id', 'FileID', 'FilePath', 'LineStart', 'LineEnd', 'GroundTruth', 'ValueStart', 'ValueEnd', 'Category'].map((n) => [n, col(n)]));
  return lines.map((l) => {
    const f = l.split(',');
    return {
      id: f[c.Id],
      fileId: f[c.FileID],
      dataPath: f[c.FilePath],
      lineStart: Number(f[c.LineStart]),
      lineEnd: Number(f[c.LineEnd]),
      truth: f[c.GroundTruth],
      valueStart: f[c.ValueStart] === '' ? undefined : Number(f[c.ValueStart]),
      valueEnd: f[c.ValueEnd] === '' ? undefined : Number(f[c.ValueEnd]),
      categories: (f[c.Category] ?? '').split(':').filter((x) => x !== ''),
    };
  });
}

/** The commit of the CredData mirror the labels come from. */
export const labelsCommit = (labelsGitDir) => git(labelsGitDir, ['rev-parse', 'HEAD']).trim();
