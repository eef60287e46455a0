// Exclude globs for the working-tree scan (node 20 has no fs.glob / path.matchesGlob).

/**
 * Compiles gitignore-like globs into a test on display paths (POSIX, relative to the root).
 * `*` and `?` stay within one path segment, `**` spans segments, `[abc]` is a class. A glob without a
 * `/` matches a name at any depth (`*.min.js`, `node_modules`); one with a `/` matches from the root
 * (`docs/**\/*.md`). A glob that matches a folder excludes everything under it.
 */
export function excludeMatcher(globs: readonly string[]): (path: string) => boolean {
  const compiled = globs.filter((g) => g.trim() !== '').map((g) => {
    const glob = g.replace(/^\.\//, '').replace(/\/+$/, '');
    return { anchored: glob.includes('/'), re: new RegExp(`^${globSource(glob.replace(/^\//, ''))}$`) };
  });
  if (compiled.length === 0) return () => false;
  return (path) => {
    const parts = path.split('/');
    return compiled.some(({ anchored, re }) =>
      anchored ? parts.some((_, i) => re.test(parts.slice(0, i + 1).join('/'))) : parts.some((part) => re.test(part)),
    );
  };
}

function globSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}
