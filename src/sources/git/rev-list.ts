// Enumerates the blobs reachable from a set of commits, each once, as `git rev-list --objects` finds them.
import { gitRecords } from './git-lines.js';

/** A reachable blob and the first path rev-list saw it under. */
export interface ListedBlob {
  oid: string;
  path: string;
  /** Absent from the object store (listed by `--missing=print`): not to be read. */
  missing?: boolean;
}

/**
 * Yields every blob reachable from the commits selected by `revArgs` exactly once (git dedupes objects),
 * streaming: nothing of the history is held in memory here.
 * A blob missing from the object store is listed with `missing` and an empty path.
 * NOTE: git cuts a path at its first newline; such a blob is still listed, under the shortened path.
 */
export async function* listBlobs(repo: string, revArgs: readonly string[]): AsyncGenerator<ListedBlob> {
  // --missing=print: a partial clone's absent blobs (never fetched: lazy fetching is off) come as `?<oid>`.
  for await (const line of gitRecords(repo, ['rev-list', '--objects', '--filter=object:type=blob', '--missing=print', ...revArgs, '--'])) {
    if (line.startsWith('?')) {
      yield { oid: line.slice(1), path: '', missing: true };
      continue;
    }
    const space = line.indexOf(' ');
    // Commits come without a name; every blob found through a tree has one. Annotated tags are named too:
    // the reader checks the type.
    if (space < 0) continue;
    yield { oid: line.slice(0, space), path: line.slice(space + 1) };
  }
}
