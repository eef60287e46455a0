// Bounded pagination: a server that always offers a next page (or the same one again) cannot keep spillway listing.

/** Pages read of one list before stopping (100 items a page: 10,000 items). */
export const MAX_PAGES = 100;

/** What a list stopped short of, when it did: a sentence for a note or an error. */
export interface Pages<T> {
  items: T[];
  stopped?: string;
}

/**
 * Every item of a paginated list (Octokit's `paginate.iterator`), stopping after `maxPages` pages or when a page's
 * URL comes round again (a repeated cursor), with `stopped` saying so.
 */
export async function collectPages<T>(pages: AsyncIterable<{ data: T[]; url: string }>, what: string, maxPages = MAX_PAGES): Promise<Pages<T>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let count = 0;
  for await (const page of pages) {
    if (seen.has(page.url)) return { items, stopped: `${what}: the server offered page ${redactQuery(page.url)} again; stopped after ${count} pages` };
    seen.add(page.url);
    items.push(...page.data);
    if (++count >= maxPages) return { items, stopped: `${what}: stopped after ${maxPages} pages (${items.length} items); the server kept offering more` };
  }
  return { items };
}

/** A page URL as a message shows it: path and query names, no values (a cursor may be long or echo anything). */
function redactQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}?${[...u.searchParams.keys()].join('&')}`;
  } catch {
    return '(unreadable URL)';
  }
}
