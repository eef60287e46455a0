// Short, user-facing wording for filesystem errors in scan notes.

/** The reason an fs call failed, in words a user reads in a note (no stack, no errno soup). */
export function fsErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or folder';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return e.message ?? String(err);
  }
}
