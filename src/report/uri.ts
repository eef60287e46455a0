// URIs for reports: repo-relative paths percent-encoded per RFC 3986, file URIs for roots, safe repository URIs.

/** Lone surrogates cannot be UTF-8 encoded: replace them with U+FFFD so encoding never throws. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * A POSIX path as a URI path: each segment percent-encoded (space, `#`, `?`, `%`, `:`, control characters
 * and non-ASCII as UTF-8 bytes), the `/` separators kept. A relative path stays a relative reference.
 */
export function encodeUriPath(path: string): string {
  return wellFormed(path).split('/').map(encodeURIComponent).join('/');
}

const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;

/** Whether a report path is absolute (POSIX `/...` or a Windows drive) rather than relative to the root. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || WINDOWS_DRIVE.test(path);
}

/** `file:` URI of an absolute path (POSIX or Windows drive); a directory gets a trailing slash. */
export function fileUri(path: string, directory = false): string {
  const posix = WINDOWS_DRIVE.test(path) ? `/${path.replace(/\\/g, '/')}` : path;
  const encoded = posix
    .split('/')
    .map((segment, i) => (i === 1 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(wellFormed(segment))))
    .join('/');
  const withSlash = directory && !encoded.endsWith('/') ? `${encoded}/` : encoded;
  return `file://${withSlash.startsWith('/') ? '' : '/'}${withSlash}`;
}

const SCP_LIKE = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.+)$/;

/**
 * A repository address fit for a report: an absolute URI with any user name, password or token removed
 * (`https://user:token@host/x` -> `https://host/x`), scp-like `git@host:org/repo` turned into
 * `ssh://host/org/repo`, a local path into a file URI. Undefined when it cannot be made a URI.
 */
export function safeRepositoryUri(uri: string | undefined): string | undefined {
  if (uri === undefined || uri.trim() === '') return undefined;
  if (isAbsolutePath(uri)) return fileUri(uri);
  const scp = SCP_LIKE.exec(uri);
  const candidate = scp && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(uri) ? `ssh://${scp[1]}/${scp[2]}` : uri;
  try {
    const url = new URL(candidate);
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return undefined;
  }
}
