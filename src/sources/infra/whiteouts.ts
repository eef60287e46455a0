// OCI/Docker whiteouts: which files of a layer a later layer deletes (they stay in the image all the same).

/** Deletions per layer index: `.wh.NAME` entries and opaque directories (`.wh..wh..opq`). */
export class Whiteouts {
  private readonly deleted: Set<string>[] = [];
  private readonly opaque: Set<string>[] = [];

  /** Records a whiteout entry at `path` (normalised, no leading slash) in layer `layer`. */
  add(layer: number, path: string): boolean {
    const slash = path.lastIndexOf('/');
    const dir = slash === -1 ? '' : path.slice(0, slash + 1);
    const base = path.slice(slash + 1);
    if (!base.startsWith('.wh.')) return false;
    if (base === '.wh..wh..opq') (this.opaque[layer] ??= new Set()).add(dir);
    else (this.deleted[layer] ??= new Set()).add(dir + base.slice(4));
    return true;
  }

  /** True when a layer above `layer` deletes `path` or one of its parent directories. */
  deletedAfter(layer: number, path: string): boolean {
    const ancestors = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    for (let upper = layer + 1; upper < Math.max(this.deleted.length, this.opaque.length); upper++) {
      if (ancestors.some((p) => this.deleted[upper]?.has(p))) return true;
      if (ancestors.slice(0, -1).some((p) => this.opaque[upper]?.has(`${p}/`)) || this.opaque[upper]?.has('')) return true;
    }
    return false;
  }
}
