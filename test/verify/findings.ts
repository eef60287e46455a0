// Hand-built findings and fake tokens (made at run time, so the repository's own scan stays clean).
import { Secret } from '../../src/secret.js';
import type { Finding, Provenance } from '../../src/types.js';
import { fakeChars as chars } from '../report/cases.js';

export { chars };

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A good and a bad token of each kind (seeded: `good(1)` and `good(2)` differ). */
export function tokens(seed: number) {
  return {
    github: 'gh' + 'p_' + chars(seed, 36),
    gitlab: 'gl' + 'pat-' + chars(seed + 1, 20),
    slack: 'xo' + 'xb-' + chars(seed + 2, 12, '0123456789') + '-' + chars(seed + 3, 24),
    stripe: 'sk' + '_live_' + chars(seed + 4, 24),
    npm: 'np' + 'm_' + chars(seed + 5, 36),
    openai: 'sk' + '-proj-' + chars(seed + 6, 48),
    anthropic: 'sk' + '-ant-api03-' + chars(seed + 7, 93),
    sendgrid: 'S' + 'G.' + chars(seed + 8, 22) + '.' + chars(seed + 9, 43),
    vault: 'hv' + 's.' + chars(seed + 10, 90),
    awsKeyId: 'AK' + 'IA' + chars(seed + 11, 16, UPPER),
    awsSecret: chars(seed + 12, 40, B64),
    echo: 'gh' + 'p_' + chars(seed + 13, 36),
    hang: 'gh' + 'p_' + chars(seed + 14, 36),
  };
}

/** A finding of `ruleId` for `secret` at `path:line`. */
export function finding(ruleId: string, secret: string, opts: { path?: string; line?: number; text?: string; match?: string; provenance?: Provenance } = {}): Finding {
  const line = opts.line ?? 1;
  const path = opts.path ?? 'app.env';
  return {
    ruleId,
    description: ruleId,
    severity: 'high',
    confidence: 'high',
    location: { path, startLine: line, startColumn: 1, endLine: line, endColumn: secret.length + 1 },
    provenance: opts.provenance ?? { kind: 'file', path },
    secret: new Secret(secret),
    match: new Secret(opts.match ?? secret),
    line: new Secret(opts.text ?? `TOKEN=${secret}`),
    fingerprint: `${ruleId}:${path}:${line}`,
    tags: [],
  };
}
