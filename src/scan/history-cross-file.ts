// The checks across files for history findings: each against the tree of the commit that introduced the finding.
import { posix } from 'node:path';
import type { Detector } from '../detect/detector.js';
import { catFileBatch } from '../sources/git/cat-file-batch.js';
import { runGit } from '../sources/git/safe-git.js';
import type { Finding, Provenance } from '../types.js';
import { yamlBlobs, type YamlBlob } from './cross-file.js';
import { ENV_FILE_RULE } from './env-file-refs.js';
import { isYamlPath, sealedTwinFindings } from './sealed-twins.js';

type GitProvenance = Extract<Provenance, { kind: 'git' }>;

/**
 * `findings` (blob findings attributed to commits) after the checks across files, each run on the tree of the
 * commit that introduced it: a compose `env_file` reference is kept when that commit (or a later one that
 * holds the reference) has the file it names; a Secret whose SealedSecret sits in another file of its folder
 * in that commit is reported. Only Secrets that already gave a finding are looked at: the blobs are not walked again.
 */
export async function historyCrossFileChecks(repo: string, findings: Finding[], detector: Detector, maxBlobSize: number): Promise<Finding[]> {
  const kept = await confirmHistoryEnvFiles(repo, findings);
  return [...kept, ...(await historyTwins(repo, kept, detector, maxBlobSize))];
}

const gitOf = (f: Finding): GitProvenance | undefined => (f.provenance.kind === 'git' && f.provenance.commit ? f.provenance : undefined);

async function confirmHistoryEnvFiles(repo: string, findings: Finding[]): Promise<Finding[]> {
  const refs = findings.filter((f) => f.ruleId === ENV_FILE_RULE && gitOf(f));
  if (refs.length === 0) return findings;
  const target = (f: Finding): string => posix.normalize(posix.join(posix.dirname(f.location.path), f.secret.reveal()));
  const places = refs.flatMap((f) => {
    const p = gitOf(f)!;
    return [p.commit, ...(p.alsoIn ?? []).map((a) => a.commit)].map((commit) => `${commit}:${target(f)}`);
  });
  const present = new Set<string>();
  let i = 0;
  for await (const obj of catFileBatch(repo, places.map((oid) => ({ oid })), { maxSize: 0 })) {
    const place = places[i++]!;
    if (!obj.missing) present.add(place);
  }
  return findings.flatMap((f) => {
    const p = gitOf(f);
    if (f.ruleId !== ENV_FILE_RULE || !p) return [f];
    const commits = [p.commit, ...(p.alsoIn ?? []).map((a) => a.commit)];
    if (!commits.some((commit) => present.has(`${commit}:${target(f)}`))) return [];
    return [{ ...f, message: `env_file ${target(f)} is committed too: every value in it is in the history (it is scanned as its own file too).` }];
  });
}

async function historyTwins(repo: string, findings: Finding[], detector: Detector, maxBlobSize: number): Promise<Finding[]> {
  const secretFiles = new Map<string, GitProvenance>();
  for (const f of findings) {
    const p = gitOf(f);
    if (p && isYamlPath(p.path) && f.ruleId !== 'k8s-secret-beside-sealedsecret') secretFiles.set(`${p.commit}\0${p.path}`, p);
  }
  const twins: Finding[] = [];
  const byFolder = new Map<string, GitProvenance[]>();
  for (const p of secretFiles.values()) {
    const key = `${p.commit}\0${posix.dirname(p.path)}`;
    byFolder.set(key, [...(byFolder.get(key) ?? []), p]);
  }
  for (const [key, secrets] of byFolder) {
    const [commit, folder] = key.split('\0') as [string, string];
    const siblings = await yamlInFolder(repo, commit, folder);
    if (siblings.length < 2) continue;
    const blobs: YamlBlob[] = siblings.map((s) => ({ ...s, provenance: secrets.find((p) => p.path === s.path) ?? { kind: 'git', path: s.path, blob: s.oid, commit } }));
    twins.push(...(await sealedTwinFindings(await yamlBlobs(repo, blobs, maxBlobSize), () => detector)).filter((t) => secrets.some((p) => p.path === t.location.path)));
  }
  return twins;
}

/** The YAML files directly in `folder` at `commit`. */
async function yamlInFolder(repo: string, commit: string, folder: string): Promise<{ oid: string; path: string }[]> {
  const res = await runGit(repo, ['ls-tree', '-z', '--full-tree', commit, ...(folder === '.' ? [] : ['--', `${folder}/`])]);
  if (res.code !== 0) return [];
  return res.stdout
    .toString('utf8')
    .split('\0')
    .flatMap((record) => {
      const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(record);
      return match && isYamlPath(match[2]!) ? [{ oid: match[1]!, path: match[2]! }] : [];
    });
}
