// Reads the small JSON documents of an image archive (docker save or OCI layout) into an ordered list of images.

/** One image in an archive: its config and its layers, bottom first. */
export interface ImageLayout {
  /** repo:tag when the archive names one. */
  name?: string;
  config?: ImageConfig;
  layers: { entry: string; digest: string }[];
}

/** The parts of an image config that can hold secrets. */
export interface ImageConfig {
  config?: { Env?: string[]; Labels?: Record<string, string> | null };
  history?: { created_by?: string; empty_layer?: boolean }[];
  rootfs?: { diff_ids?: string[] };
}

type Json = Record<string, unknown>;
const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

/** The images described by the archive's JSON entries (by normalised entry name); throws when none is found. */
export function readLayout(json: Map<string, unknown>): ImageLayout[] {
  const manifest = json.get('manifest.json');
  if (Array.isArray(manifest)) return manifest.map((entry) => dockerSaveImage(entry as Json, json));
  const index = json.get('index.json') as Json | undefined;
  if (index && Array.isArray(index.manifests)) {
    const images: ImageLayout[] = [];
    ociIndex(index, json, images, 0);
    return images;
  }
  throw new Error('neither a docker save archive (manifest.json) nor an OCI image layout (index.json)');
}

function dockerSaveImage(entry: Json, json: Map<string, unknown>): ImageLayout {
  const configEntry = typeof entry.Config === 'string' ? normalise(entry.Config) : undefined;
  const config = configEntry ? (json.get(configEntry) as ImageConfig | undefined) : undefined;
  const diffIds = config?.rootfs?.diff_ids ?? [];
  const layers = (Array.isArray(entry.Layers) ? entry.Layers : []).map((layer: unknown, i: number) => {
    const path = normalise(String(layer));
    return { entry: path, digest: blobDigest(path) ?? diffIds[i] ?? path };
  });
  const tags = Array.isArray(entry.RepoTags) ? entry.RepoTags : [];
  return { ...(tags[0] ? { name: String(tags[0]) } : {}), ...(config ? { config } : {}), layers };
}

function ociIndex(index: Json, json: Map<string, unknown>, out: ImageLayout[], depth: number): void {
  if (depth > 4) return;
  for (const descriptor of index.manifests as Json[]) {
    const entry = blobEntry(String(descriptor.digest));
    const doc = json.get(entry) as Json | undefined;
    if (!doc) continue;
    if (INDEX_TYPES.has(String(descriptor.mediaType)) || Array.isArray(doc.manifests)) {
      ociIndex(doc, json, out, depth + 1);
      continue;
    }
    const configDigest = String((doc.config as Json | undefined)?.digest ?? '');
    const configEntry = configDigest ? blobEntry(configDigest) : undefined;
    const config = configEntry ? (json.get(configEntry) as ImageConfig | undefined) : undefined;
    const annotations = (descriptor.annotations ?? {}) as Json;
    const name = annotations['io.containerd.image.name'] ?? annotations['org.opencontainers.image.ref.name'];
    out.push({
      ...(name ? { name: String(name) } : {}),
      ...(config ? { config } : {}),
      layers: ((doc.layers ?? []) as Json[]).map((layer) => ({ entry: blobEntry(String(layer.digest)), digest: String(layer.digest) })),
    });
  }
}

/** `sha256:abc` -> `blobs/sha256/abc`. */
function blobEntry(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

function blobDigest(path: string): string | undefined {
  const m = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(path);
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/** Archive entry names without a leading `./` or `/`. */
export function normalise(name: string): string {
  return name.replace(/^(?:\.\/|\/)+/, '');
}
