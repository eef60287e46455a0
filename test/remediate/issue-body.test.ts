// The incident issue for a history finding: commit and date, every path for filter-repo, and what was done.
import { describe, expect, it } from 'vitest';
import { issueBody, issueTitle } from '../../src/remediate/github/issue-body.js';
import type { JournalEntry } from '../../src/remediate/journal.js';
import type { RemediationPlan } from '../../src/remediate/plan.js';

const plan: RemediationPlan = {
  incident: 'inc-0123456789ab',
  target: { mount: 'apps-prod', path: 'team/app/db', property: 'password' },
  vaultNamespace: 'team-ns',
  confirmed: true,
  externalSecrets: [{ namespace: 'team', name: 'app-db', apiVersion: 'external-secrets.io/v1', targetName: 'app-db' }],
  consumers: [{ kind: 'Deployment', namespace: 'team', name: 'api', modes: ['env'], envNames: ['DB_PASSWORD'] }],
  restart: false,
  newValue: 'generated',
  finding: {
    fingerprint: 'generic-password:config/db.env:abc',
    ruleId: 'generic-password',
    description: 'Password in a config file',
    severity: 'high',
    path: 'config/db.env',
    startLine: 4,
    startColumn: 13,
    secretLength: 24,
    redacted: 'pw…(24 chars)',
    identifier: 'DB_PASSWORD',
    report: 'history.sarif',
    provenance: { kind: 'git', path: 'config/db.env', blob: 'b'.repeat(40), commit: 'c'.repeat(40), author: 'Dev', date: '2026-03-04T05:06:07Z', alsoIn: [{ commit: 'd'.repeat(40), path: "old dir/db's.env" }] },
  },
};

const entries: JournalEntry[] = [
  { at: '2026-11-25T01:00:00.000Z', incident: plan.incident, step: 'rotate', event: 'done', data: { oldVersion: 4, newVersion: 5 } },
  { at: '2026-11-25T01:00:01.000Z', incident: plan.incident, step: 'sync:team/app-db', event: 'done', data: { forceSync: '1795568401' } },
  { at: '2026-11-25T01:00:04.000Z', incident: plan.incident, step: 'synced:team/app-db', event: 'done', data: { refreshTime: '2026-11-25T01:00:03Z' } },
];

describe('issue', () => {
  it('says where and since when it leaked, what was done, and what is left', () => {
    const body = issueBody(plan, entries);
    expect(issueTitle(plan)).toBe('Leaked generic-password in config/db.env:4');
    expect(body).toContain('<!-- spillway-incident: inc-0123456789ab -->');
    expect(body).toContain(`| Leaked in | commit \`${'c'.repeat(40)}\` by Dev on 2026-03-04T05:06:07Z |`);
    expect(body).toContain(`| Also in | commit \`${'d'.repeat(40)}\` at \`old dir/db's.env\` |`);
    expect(body).toContain('version 4 → 5');
    expect(body).toContain('(Vault namespace `team-ns`)');
    expect(body).toContain('forced a sync of ExternalSecret `team/app-db` (force-sync=1795568401)');
    expect(body).toContain('ESO reported ExternalSecret `team/app-db` synced (refreshTime 2026-11-25T01:00:03Z); restarts waited for it.');
    expect(body).toContain(`git filter-repo --invert-paths --path config/db.env --path 'old dir/db'\\''s.env'`);
    expect(body).toContain('from 2026-03-04T05:06:07Z until 2026-11-25T01:00:00.000Z');
    expect(body).toContain('- [ ] Restart the consumers that read it as env vars: Deployment team/api.');
  });

  it('for a working-tree finding, says which commit added the file and uses its date for the audit window', () => {
    const fileFinding = { ...plan.finding!, provenance: { kind: 'file' as const, path: 'config/db.env' }, since: { commit: 'e'.repeat(40), date: '2025-12-24T10:00:00+01:00' } };
    const body = issueBody({ ...plan, finding: fileFinding }, entries);
    expect(body).toContain(`| Committed in | \`${'e'.repeat(40)}\` on 2025-12-24T10:00:00+01:00 (the commit that added the file), found in the working tree by the scan in \`history.sarif\` |`);
    expect(body).toContain('from 2025-12-24T10:00:00+01:00 until');
    expect(body).toContain('git filter-repo --invert-paths --path config/db.env');
  });
});
