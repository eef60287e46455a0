// The checks across the files of one tree (working tree, index, commit, image): run wherever a scan has the whole tree.
import type { Detector } from '../detect/detector.js';
import { catFileBatch } from '../sources/git/cat-file-batch.js';
import { decodeForScan } from '../sources/read-file.js';
import type { Finding, Provenance } from '../types.js';
import { confirmEnvFileRefs } from './env-file-refs.js';
import { sealedTwinFindings, type YamlFile } from './sealed-twins.js';

/** A whole tree a scan has: every path in it, and its YAML files (at least those of the folders that matter). */
export interface ScannedTree {
  paths: ReadonlySet<string>;
  yaml: readonly YamlFile[];
}

/**
 * `findings` after the checks across files: a Secret whose SealedSecret is in another file of its folder is
 * reported (k8s-secret-beside-sealedsecret), and a compose `env_file` reference is kept only when the file it
 * names is in the tree (compose-env-file).
 */
export async function crossFileChecks(findings: readonly Finding[], tree: ScannedTree, detector: () => Detector): Promise<Finding[]> {
  const twins = await sealedTwinFindings(tree.yaml, detector);
  return confirmEnvFileRefs([...findings, ...twins], tree.paths);
}

/** A git blob to read as YAML: `oid` is any object name (`BLOB`, `:path`, `COMMIT:path`). */
export interface YamlBlob {
  oid: string;
  path: string;
  provenance: Provenance;
}

/** Reads `blobs` (at most `maxSize` bytes each) through one `git cat-file --batch`; text that cannot be decoded reads as undefined. */
export async function yamlBlobs(repo: string, blobs: readonly YamlBlob[], maxSize: number): Promise<YamlFile[]> {
  const out: YamlFile[] = [];
  let i = 0;
  for await (const obj of catFileBatch(repo, blobs.map((b) => ({ oid: b.oid })), { maxSize })) {
    const blob = blobs[i++]!;
    const read = obj.content ? decodeForScan(obj.content, blob.path) : undefined;
    const text = read && 'text' in read ? read.text : undefined;
    out.push({ path: blob.path, provenance: blob.provenance, text: () => Promise.resolve(text) });
  }
  return out;
}
