// Short human words for where a finding came from: a commit, an image layer, a CI job.
import type { Provenance } from '../types.js';

/** The first 12 hex digits of a commit or layer id: enough to find it, short enough to read. */
export function shortId(id: string): string {
  const bare = id.replace(/^sha256:/, '');
  return bare.length > 12 ? bare.slice(0, 12) : bare;
}

/** Who and when, for commits: `Alice <alice@example.com>, 2024-03-01T10:00:00Z`, or undefined. */
export function authorLine(p: Provenance): string | undefined {
  if (p.kind !== 'git' && p.kind !== 'commit-message') return undefined;
  const who = [p.author, p.email ? `<${p.email}>` : undefined].filter(Boolean).join(' ');
  const parts = [who, p.date].filter((x): x is string => Boolean(x));
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * Where beyond the path the finding lives, or undefined for a plain file: `commit 1a2b3c4d5e6f`,
 * `message of commit ...`, `image app:1.0 layer 3f2a...`, `CI run 42 job build step test`.
 */
export function provenanceLabel(p: Provenance): string | undefined {
  switch (p.kind) {
    case 'file':
      return undefined;
    case 'staged':
      return 'staged changes';
    case 'git':
      return `commit ${shortId(p.commit)}`;
    case 'commit-message':
      return `message of commit ${shortId(p.commit)}`;
    case 'image': {
      const layer = p.layer ? ` layer ${shortId(p.layer)}` : '';
      return `image ${p.image}${layer}${p.deletedLater ? ' (deleted in a later layer)' : ''}`;
    }
    case 'ci-log': {
      const parts = [p.run && `run ${p.run}`, p.job && `job ${p.job}`, p.step && `step ${p.step}`].filter(Boolean);
      return parts.length > 0 ? `CI ${parts.join(' ')}` : 'CI log';
    }
  }
}
