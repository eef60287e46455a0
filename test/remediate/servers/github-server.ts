// A local GitHub REST server for issues: repository read (with visibility), list issues by label, create with labels, list and
// create issue comments; 401, 404, 422, injected 500s.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, listen } from './http-util.js';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  html_url: string;
  comments: { id: number; body: string; html_url: string }[];
}

export interface FakeGitHub {
  url: string;
  issues: FakeIssue[];
  /** What the repository read answers (`private` and `visibility`, as GitHub does); default private. */
  visibility: 'public' | 'private' | 'internal';
  /** Answer the next N issue creations with 500. */
  createFailures: number;
  /** Awaited before answering a list of issues (to kill a client in between). */
  beforeList?: () => Promise<void>;
  /** Awaited after an issue is created and before it is answered. */
  afterCreate?: () => Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake GitHub API on 127.0.0.1 serving `owner/repo` for `token`. */
export async function startGitHub(token: string, repo: string): Promise<FakeGitHub> {
  const state: Omit<FakeGitHub, 'url' | 'close'> = { issues: [], createFailures: 0, visibility: 'private' };
  const handler = async (req: IncomingMessage, body: string, res: ServerResponse): Promise<void> => {
    if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`) {
      return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const c = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const commented = c && c[1] === repo ? state.issues.find((i) => i.number === Number(c[2])) : undefined;
    if (c && !commented) return json(res, 404, { message: 'Not Found', status: '404' });
    if (commented && req.method === 'GET') return json(res, 200, commented.comments);
    if (commented && req.method === 'POST') {
      const input = JSON.parse(body || '{}') as { body?: unknown };
      if (typeof input.body !== 'string' || input.body.length === 0) return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], status: '422' });
      const id = 1000 + commented.comments.length;
      const comment = { id, body: input.body, html_url: `${commented.html_url}#issuecomment-${id}` };
      commented.comments.push(comment);
      return json(res, 201, comment);
    }
    const m = /^\/repos\/([^/]+\/[^/]+)(\/issues)?$/.exec(url.pathname);
    if (!m || m[1] !== repo) return json(res, 404, { message: 'Not Found', status: '404' });
    if (!m[2] && req.method === 'GET') return json(res, 200, { full_name: repo, private: state.visibility !== 'public', visibility: state.visibility, has_issues: true, permissions: { push: true } });
    if (m[2] && req.method === 'GET') {
      if (state.beforeList) await state.beforeList();
      const label = url.searchParams.get('labels');
      const items = state.issues.filter((i) => !label || i.labels.includes(label));
      return json(res, 200, items.map((i) => ({ ...i, comments: i.comments.length, labels: i.labels.map((name) => ({ name })), state: 'open' })));
    }
    if (m[2] && req.method === 'POST') {
      const input = JSON.parse(body || '{}') as { title?: unknown; body?: unknown; labels?: unknown };
      if (typeof input.title !== 'string' || input.title.length === 0) {
        return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }], status: '422' });
      }
      if (input.labels !== undefined && (!Array.isArray(input.labels) || input.labels.some((l) => typeof l !== 'string'))) {
        return json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Issue', code: 'invalid', field: 'labels' }], status: '422' });
      }
      if (state.createFailures > 0) {
        state.createFailures--;
        return json(res, 500, { message: 'Server Error' });
      }
      const number = state.issues.length + 1;
      const issue: FakeIssue = { number, title: input.title, body: String(input.body ?? ''), labels: (input.labels as string[] | undefined) ?? [], html_url: `https://github.example/${repo}/issues/${number}`, comments: [] };
      state.issues.push(issue);
      if (state.afterCreate) await state.afterCreate();
      return json(res, 201, { ...issue, comments: issue.comments.length, labels: issue.labels.map((name) => ({ name })), state: 'open' });
    }
    return json(res, 404, { message: 'Not Found' });
  };
  const server = await listen(handler);
  return Object.assign(state, { url: server.url, close: server.close }) as FakeGitHub;
}
