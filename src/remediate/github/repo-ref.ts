// `OWNER/REPO` for --github, parsed without loading the GitHub client.

/** `owner/repo` split, validated. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** Parses `OWNER/REPO`; throws a TypeError naming the option otherwise. */
export function parseRepoRef(value: string): RepoRef {
  const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(value);
  if (!m) throw new TypeError(`--github: expected OWNER/REPO, got "${value}"`);
  return { owner: m[1]!, repo: m[2]! };
}
