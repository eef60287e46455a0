// Snippets: every copy of the secret redacted, cut to about 200 characters around it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactText, SNIPPET_MAX, snippetOf } from '../../src/report/redaction.js';
import { Secret } from '../../src/secret.js';
import { fakeChars, finding, SECRETS } from './cases.js';

const file = { kind: 'file', path: 'a.txt' } as const;

describe('snippetOf', () => {
  it('redacts every occurrence of the secret', () => {
    const s = SECRETS.githubPat;
    const f = finding({ ruleId: 'github-pat', secret: s, line: `a=${s} b=${s}`, provenance: file });
    expect(snippetOf(f, false)).toBe(`a=${f.secret.redacted()} b=${f.secret.redacted()}`);
    expect(snippetOf(f, true)).toBe(`a=${s} b=${s}`);
  });

  it('cuts a long line around the secret and marks the cuts', () => {
    const s = SECRETS.githubPat;
    const f = finding({ ruleId: 'github-pat', secret: s, line: `${'a'.repeat(500)}${s}${'b'.repeat(500)}`, provenance: file });
    const out = snippetOf(f, false);
    expect(out.startsWith('…a')).toBe(true);
    expect(out.endsWith('b…')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(SNIPPET_MAX + 2);
    expect(out).toContain(f.secret.redacted());
  });

  it('keeps a shown secret whole even when it is longer than the cap', () => {
    const s = fakeChars(99, 400);
    const f = finding({ ruleId: 'x', secret: s, line: `k = "${s}"`, provenance: file });
    expect(snippetOf(f, true)).toBe(`…${s}…`);
  });

  it('property: the cut never splits a surrogate pair and always keeps the redacted secret', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }), (before, after) => {
        const s = SECRETS.stripe;
        const f = finding({ ruleId: 'x', secret: s, line: `${before}${s}${after}`, provenance: file });
        const out = snippetOf(f, false);
        expect(out).toContain(f.secret.redacted());
        expect(out).not.toContain(s);
        expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
      { numRuns: 200 },
    );
  });


  it('shows no line that does not hold the secret (a path-only finding) unless secrets are shown', () => {
    const name = ['keys', 'id_rsa'].join('/');
    const f = finding({ ruleId: 'private-key-file', secret: name, line: name, provenance: { kind: 'file', path: name } });
    const pathOnly = { ...f, line: new Secret(`{"private_key": "${SECRETS.awsSecret}"}`) };
    expect(snippetOf(pathOnly, false)).toBe('');
    expect(snippetOf(pathOnly, true)).toContain(SECRETS.awsSecret);
  });
});

describe('redactText', () => {
  it('replaces the secret in free text unless secrets are shown', () => {
    const s = SECRETS.awsKeyId;
    const f = finding({ ruleId: 'aws-access-key-id', secret: s, line: s, provenance: file });
    expect(redactText(`key ${s}.`, f, false)).toBe(`key ${f.secret.redacted()}.`);
    expect(redactText(`key ${s}.`, f, true)).toBe(`key ${s}.`);
  });
});
