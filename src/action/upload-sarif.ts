// Uploads the SARIF log to GitHub code scanning through the REST API, as github/codeql-action/upload-sarif does.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

/**
 * POST /repos/{owner}/{repo}/code-scanning/sarifs with the log gzipped and base64-encoded, for the job's commit
 * and ref (GITHUB_SHA, GITHUB_REF), to GITHUB_API_URL. A JavaScript action cannot run another action, so the
 * upload is done here. The token (the `token` input, default github.token) goes only to GITHUB_API_URL.
 */
export async function uploadSarif(env: Record<string, string | undefined>, sarifFile: string, token: string): Promise<string> {
  const need = (name: string): string => env[name] || fail(`${name} is not set: cannot upload the SARIF report`);
  const api = (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
  const repository = need('GITHUB_REPOSITORY');
  if (!token) fail('the `token` input is empty: cannot upload the SARIF report (it needs security-events: write)');
  const sarif = gzipSync(await readFile(sarifFile)).toString('base64');
  const body = { commit_sha: need('GITHUB_SHA'), ref: need('GITHUB_REF'), sarif, tool_name: 'spillway', ...(env['GITHUB_WORKSPACE'] ? { checkout_uri: `file://${env['GITHUB_WORKSPACE']}` } : {}) };
  const res = await fetch(`${api}/repos/${repository}/code-scanning/sarifs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/vnd.github+json', 'Content-Type': 'application/json', 'X-GitHub-Api-Version': '2022-11-28' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) fail(`code scanning refused the SARIF upload (HTTP ${res.status}): ${text.slice(0, 300).replaceAll(token, '***')}`);
  const id = (JSON.parse(text) as { id?: unknown }).id;
  return typeof id === 'string' ? id : '';
}

function fail(message: string): never {
  throw new Error(message);
}
