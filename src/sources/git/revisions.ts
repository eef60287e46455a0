// Which commits a history scan covers: the user's revision ranges and filters as git arguments.

/** The commits to walk. With no `revs` and no `branches`: every ref (branches, tags, remotes, stash), notes optional. */
export interface RevisionSelection {
  /** Revision ranges as git understands them (`main..feature`, `v1.0`, `^old`). */
  revs?: string[];
  /** Branch (or other ref) names to walk, in addition to `revs`. */
  branches?: string[];
  since?: string;
  until?: string;
  maxCount?: number;
  /** Also walk refs/notes/* (excluded by default). */
  includeNotes?: boolean;
}

/** True when the selection names no revision: the scan covers every ref. */
export function coversAllRefs(sel: RevisionSelection): boolean {
  return !sel.revs?.length && !sel.branches?.length;
}

/**
 * git arguments for rev-list/log selecting the commits of `sel`. Throws a TypeError naming the option
 * when a value could be taken for a git option.
 */
export function revisionArgs(sel: RevisionSelection): string[] {
  const args: string[] = [];
  if (sel.since !== undefined) args.push(`--since=${checkValue('--since', sel.since)}`);
  if (sel.until !== undefined) args.push(`--until=${checkValue('--until', sel.until)}`);
  if (sel.maxCount !== undefined) {
    if (!Number.isInteger(sel.maxCount) || sel.maxCount < 0) throw new TypeError(`--max-count must be a non-negative integer, got ${sel.maxCount}`);
    args.push(`--max-count=${sel.maxCount}`);
  }
  if (coversAllRefs(sel)) {
    if (!sel.includeNotes) args.push('--exclude=refs/notes/*');
    args.push('--all');
    return args;
  }
  for (const rev of sel.revs ?? []) args.push(checkValue('revision', rev));
  for (const branch of sel.branches ?? []) args.push(checkValue('--branch', branch));
  return args;
}

function checkValue(option: string, value: string): string {
  if (value.startsWith('-') || value === '' || /[\0\n]/.test(value)) {
    throw new TypeError(`${option}: ${JSON.stringify(value)} is not a valid value (it must not be empty or start with "-")`);
  }
  return value;
}
