// Splits repositories into N shards of similar total size, and renders them as a GitHub Actions matrix.
import type { RepoRef } from './repos.js';

/** GitHub Actions runs at most 256 jobs per matrix. */
export const MAX_SHARDS = 256;

/**
 * Balanced shards: largest repository first, each to the shard with the least total size so far (ties: the lower
 * shard, and unknown sizes count as 1 so they spread evenly). Deterministic for a given list; each shard sorted by name.
 */
export function splitShards(repos: RepoRef[], count: number): RepoRef[][] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) {
    throw new TypeError(`--shards must be an integer from 1 to ${MAX_SHARDS}; got ${count}`);
  }
  const shards: RepoRef[][] = Array.from({ length: count }, () => []);
  const totals: number[] = new Array<number>(count).fill(0);
  const ordered = [...repos].sort((a, b) => b.size - a.size || (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
  for (const repo of ordered) {
    let target = 0;
    for (let i = 1; i < count; i += 1) if (totals[i]! < totals[target]!) target = i;
    shards[target]!.push(repo);
    totals[target]! += Math.max(repo.size, 1);
  }
  for (const shard of shards) shard.sort((a, b) => (a.fullName < b.fullName ? -1 : 1));
  return shards;
}

/** The matrix JSON for `strategy.matrix`: `{"include":[{"shard":0,"repos":"a/b,c/d"},...]}`, empty shards left out. */
export function matrixJson(shards: RepoRef[][]): string {
  const include = shards
    .map((shard, index) => ({ shard: index, repos: shard.map((repo) => repo.fullName).join(',') }))
    .filter((entry) => entry.repos !== '');
  return JSON.stringify({ include });
}
