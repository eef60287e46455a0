// --audit-log: the reads of the leaked path in the leak window, by client identity, streamed from a Vault file audit log.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditMarkdown, renderAuditSummary, summariseAuditLog } from '../../src/remediate/audit-log.js';
import { FIXTURES } from './harness.js';

const FILE = join(FIXTURES, 'audit', 'vault-audit.log');
const PATH = 'apps-prod/data/xred-eln/demo/api-config';
const NS = 'minerva-prod/xred-eln';

describe('summariseAuditLog', () => {
  it('groups the successful and denied reads of the data path in the window by identity, counting response entries only', async () => {
    const s = await summariseAuditLog({ file: FILE, path: PATH, namespace: NS, since: '2026-11-02T00:00:00Z', until: '2026-12-03T00:00:00Z' });
    expect(s.malformed).toBe(3);
    const byName = Object.fromEntries(s.readers.map((r) => [r.displayName, r]));
    expect(Object.keys(byName).sort()).toEqual(["(HMAC'd)", 'approle-ci-deploy', 'kubernetes-xred-eln-external-secrets', 'userpass-mallory']);
    expect(byName['kubernetes-xred-eln-external-secrets']).toMatchObject({ reads: 2, denied: 0, remoteAddress: '10.42.0.17', first: '2026-11-05T10:00:00.004Z', last: '2026-11-20T10:00:00.004Z' });
    expect(byName['approle-ci-deploy']).toMatchObject({ reads: 1, denied: 0, entityId: '7d1f9c3a-0000-4000-8000-00000000c1c1' });
    expect(byName['userpass-mallory']).toMatchObject({ reads: 1, denied: 1, remoteAddress: '203.0.113.66' });
    expect(byName["(HMAC'd)"]).toMatchObject({ entityId: "(HMAC'd)", remoteAddress: '198.51.100.23', reads: 1 });
  });

  it('the window bounds count: without a start, the read before the leak counts; an earlier end drops later reads', async () => {
    const all = await summariseAuditLog({ file: FILE, path: PATH, namespace: NS, until: '2026-12-03T00:00:00Z' });
    expect(all.readers.find((r) => r.displayName.startsWith('kubernetes'))!.reads).toBe(3);
    const early = await summariseAuditLog({ file: FILE, path: PATH, namespace: NS, since: '2026-11-02T00:00:00Z', until: '2026-11-21T00:00:00Z' });
    expect(early.readers.map((r) => r.displayName)).toEqual(['kubernetes-xred-eln-external-secrets']);
  });

  it('another namespace is another path: the root namespace read is the only one without a namespace', async () => {
    const root = await summariseAuditLog({ file: FILE, path: PATH, until: '2026-12-03T00:00:00Z' });
    expect(root.readers).toHaveLength(1);
    expect(root.readers[0]).toMatchObject({ displayName: 'approle-ci-deploy', reads: 1 });
  });

  it('never shows a token, an accessor or an HMAC\'d value, in the terminal summary or the issue section', async () => {
    const s = await summariseAuditLog({ file: FILE, path: PATH, namespace: NS, since: '2026-11-02T00:00:00Z', until: '2026-12-03T00:00:00Z' });
    const text = [...renderAuditSummary(s), ...auditMarkdown(s), JSON.stringify(s)].join('\n');
    expect(text).not.toContain('hmac-sha256');
    expect(text).not.toMatch(/0{20}/);
    expect(text).toContain('3 line(s)');
    expect(auditMarkdown(s).join('\n')).toContain('| 5b0c2a8e-0000-4000-8000-00000000e501 | kubernetes-xred-eln-external-secrets | 10.42.0.17 | 2 | 0 |');
  });

  it('escapes identity fields for the terminal and for markdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spillway-audit-'));
    try {
      const file = join(dir, 'audit.log');
      const e = { time: '2026-11-10T00:00:00Z', type: 'response', auth: { display_name: 'evil\u001b[2J|<img src=x>', entity_id: 'e' }, request: { operation: 'read', path: PATH, remote_address: '10.0.0.1' } };
      writeFileSync(file, `${JSON.stringify(e)}\n`);
      const s = await summariseAuditLog({ file, path: PATH, until: '2026-12-01T00:00:00Z' });
      expect(renderAuditSummary(s).join('\n')).not.toContain('\u001b');
      const md = auditMarkdown(s).join('\n');
      expect(md).not.toMatch(/[^\\]<img/);
      expect(md).toContain('\\<img');
      expect(md).toContain('\\|');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('streams a large log (50k entries) and counts every read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spillway-audit-'));
    try {
      const file = join(dir, 'audit.log');
      const line = (i: number) => JSON.stringify({ time: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(), type: i % 2 ? 'response' : 'request', auth: { display_name: `app-${i % 7}`, entity_id: `id-${i % 7}` }, request: { operation: 'read', path: PATH, remote_address: '10.0.0.2' } });
      const chunk: string[] = [];
      for (let i = 0; i < 50_000; i++) chunk.push(line(i));
      writeFileSync(file, `${chunk.join('\n')}\n`);
      const s = await summariseAuditLog({ file, path: PATH, until: '2027-01-01T00:00:00Z' });
      expect(s.readers.reduce((n, r) => n + r.reads, 0)).toBe(25_000);
      expect(s.readers).toHaveLength(7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file is an error naming --audit-log and the file', async () => {
    await expect(summariseAuditLog({ file: '/nonexistent/audit.log', path: PATH, until: '2026-12-01T00:00:00Z' })).rejects.toThrow('--audit-log /nonexistent/audit.log: cannot read it (ENOENT)');
  });
});
