// Yields commit messages and annotated tag messages as chunks: people paste secrets into them too.
import type { Chunk } from '../../types.js';
import { gitRecords } from './git-lines.js';

const FIELD = '\u001f';

/** Chunks for the messages of the commits selected by `revArgs`, skipping commits for which `skip` says so. */
export async function* commitMessageChunks(repo: string, revArgs: readonly string[], skip: (commit: string) => boolean = () => false): AsyncGenerator<Chunk> {
  const format = ['%H', '%an', '%ae', '%aI', '%B'].join('%x1f');
  for await (const record of gitRecords(repo, ['log', `--format=${format}`, '-z', ...revArgs, '--'], '\0')) {
    const [commit, author, email, date, ...rest] = record.split(FIELD);
    if (!commit || skip(commit)) continue;
    const text = rest.join(FIELD);
    if (!text.trim()) continue;
    yield {
      text,
      provenance: { kind: 'commit-message', path: `commit:${commit}`, commit, author: author ?? '', email: email ?? '', date: date ?? '' },
      place: 'git.commit-message',
    };
  }
}

/** Chunks for the messages of annotated tags (all of refs/tags). `commit` is the object the tag points at. */
export async function* tagMessageChunks(repo: string, skip: (tagObject: string) => boolean = () => false): AsyncGenerator<Chunk> {
  const format = ['%(objecttype)', '%(objectname)', '%(refname:strip=2)', '%(*objectname)', '%(taggername)', '%(taggeremail:trim)', '%(taggerdate:iso-strict)', '%(contents)'].join('%1f');
  for await (const record of gitRecords(repo, ['for-each-ref', `--format=${format}%00`, 'refs/tags'], '\0')) {
    const [type, object, tag, target, author, email, date, ...rest] = record.replace(/^\n/, '').split(FIELD);
    if (type !== 'tag' || !object || !tag || skip(object)) continue;
    const text = rest.join(FIELD);
    if (!text.trim()) continue;
    yield {
      text,
      provenance: { kind: 'commit-message', path: `tag:${tag}`, commit: target || object, tag, author: author ?? '', email: email ?? '', date: date ?? '' },
      place: 'git.tag-message',
    };
  }
}
