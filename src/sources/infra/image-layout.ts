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

/** Images read from one archive beyond this are not scanned (a manifest can repeat entries without end). */
export const MAX_IMAGES = 100;
/** Manifest and index descriptors followed in one archive, at most. */
export const MAX_DESCRIPTORS = 10_000;

/** The images of an archive, each once with each layer once, and what was left out at a limit. */
export interface LayoutRead {
  images: ImageLayout[];
  /** Why some of the archive's images were not read (a limit), for a note. */
  problems: string[];
}

/**
 * The images described by the archive's JSON entries (by normalised entry name); throws when none is found.
 * A repeated image or layer is read once; at most MAX_IMAGES images and MAX_DESCRIPTORS descriptors, with a problem.
 */
export function readLayout(json: Map<string, unknown>): LayoutRead {
  const manifest = json.get('manifest.json');
  const budget = { descriptors: MAX_DESCRIPTORS, problems: [] as string[] };
  let images: ImageLayout[];
  if (Array.isArray(manifest)) {
    images = manifest.slice(0, MAX_DESCRIPTORS).map((entry) => dockerSaveImage(entry as Json, json));
    if (manifest.length > MAX_DESCRIPTORS) budget.problems.push(`manifest.json lists ${manifest.length} images: only the first ${MAX_DESCRIPTORS} entries are read`);
  } else {
    const index = json.get('index.json') as Json | undefined;
    if (!index || !Array.isArray(index.manifests)) throw new Error('neither a docker save archive (manifest.json) nor an OCI image layout (index.json)');
    images = [];
    ociIndex(index, json, images, 0, new Set(), budget);
  }
  const unique = distinct(images);
  if (unique.length > MAX_IMAGES) budget.problems.push(`the archive holds ${unique.length} distinct images: only the first ${MAX_IMAGES} are scanned`);
  return { images: unique.slice(0, MAX_IMAGES), problems: budget.problems };
}

/** Each image once (same name, config and layers), each of its layers once (the first place it is listed). */
function distinct(images: ImageLayout[]): ImageLayout[] {
  const seen = new Set<string>();
  // The same config entry parses to the same object: its identity stands for it.
  const configIds = new Map<ImageConfig, number>();
  const out: ImageLayout[] = [];
  for (const image of images) {
    const entries = new Set<string>();
    const layers = image.layers.filter((l) => !entries.has(l.entry) && entries.add(l.entry));
    if (image.config && !configIds.has(image.config)) configIds.set(image.config, configIds.size);
    const key = JSON.stringify([image.name ?? '', image.config ? configIds.get(image.config) : -1, layers.map((l) => l.entry)]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...image, layers });
  }
  return out;
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

function ociIndex(index: Json, json: Map<string, unknown>, out: ImageLayout[], depth: number, visited: Set<string>, budget: { descriptors: number; problems: string[] }): void {
  if (depth > 4) return;
  for (const descriptor of index.manifests as Json[]) {
    if (budget.descriptors-- <= 0) {
      if (budget.descriptors === -1) budget.problems.push(`more than ${MAX_DESCRIPTORS} manifest descriptors: the rest are not read`);
      return;
    }
    const entry = blobEntry(String(descriptor.digest));
    const doc = json.get(entry) as Json | undefined;
    // A manifest or index listed again (or an index listing itself) adds nothing: read each once.
    if (!doc || visited.has(entry)) continue;
    visited.add(entry);
    if (INDEX_TYPES.has(String(descriptor.mediaType)) || Array.isArray(doc.manifests)) {
      ociIndex(doc, json, out, depth + 1, visited, budget);
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
