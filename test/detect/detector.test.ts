// The engine's semantics: secret groups, filters, allowlists, positions, overlaps and fingerprints.
import { describe, expect, test } from 'vitest';
import { createDetector } from '../../src/detect/detector.js';
import type { AllowlistSpec, Chunk, RuleSpec } from '../../src/types.js';

const KEY = Buffer.from('test-key');
const TOKEN = 'tok_' + 'q7Wm2Zr9Kx4Lp8Vn3Bc6';

function rule(over: Partial<RuleSpec> & { id: string }): RuleSpec {
  return { description: over.id, keywords: [], allowlists: [], tags: [], severity: 'high', confidence: 'medium', examples: [], counterexamples: [], ...over };
}

function allowlist(over: Partial<AllowlistSpec>): AllowlistSpec {
  return { condition: 'OR', regexTarget: 'secret', regexes: [], paths: [], stopwords: [], commits: [], ...over };
}

function detect(rules: RuleSpec[], text: string, extra: Partial<Chunk> = {}, allowlists: AllowlistSpec[] = []) {
  const { detector, problems } = createDetector({ rules, allowlists }, { fingerprintKey: KEY });
  expect(problems).toEqual([]);
  return detector.detect({ text, provenance: { kind: 'file', path: 'src/app.ts' }, ...extra });
}

const tokenRule = rule({ id: 'tok', regex: String.raw`\b(tok_[A-Za-z0-9]{20})\b`, keywords: ['tok_'] });

describe('matching', () => {
  test('reports the secret group span with 1-based lines and columns', () => {
    const [f] = detect([tokenRule], `a\nconst t = "${TOKEN}";\n`);
    expect(f?.location).toEqual({ path: 'src/app.ts', startLine: 2, startColumn: 12, endLine: 2, endColumn: 36 });
    expect(f?.secret.reveal()).toBe(TOKEN);
    expect(f?.identifier).toBe('t');
  });

  test('counts columns in UTF-16 code units after non-ASCII text', () => {
    const [f] = detect([tokenRule], `// 日本 é\nx = "${TOKEN}" // ü ${TOKEN.slice(0, 3)}\n`);
    expect(f?.location.startLine).toBe(2);
    expect(f?.location.startColumn).toBe(6);
  });

  test('non-ASCII text before, around and inside secrets: spans, columns and masked context as in the text', () => {
    const r = rule({ id: 'pw', regex: String.raw`pw=(\S{8,})`, keywords: ['pw='] });
    const text = `// 🔑 clé 日本\ud800\nx = "${TOKEN}" 🔐 pw=Zq8Wm3Xk€ü9 ${TOKEN}\n`;
    const found = detect([tokenRule, r], text);
    const line2 = text.split('\n')[1]!;
    const col = (s: string, from = 0) => line2.indexOf(s, from) + 1;
    expect(found.map((f) => [f.ruleId, f.secret.reveal(), f.location.startLine, f.location.startColumn, f.location.endColumn])).toEqual([
      ['tok', TOKEN, 2, 6, 30],
      ['pw', 'Zq8Wm3Xk€ü9', 2, col('Zq8'), col('Zq8') + 11],
      ['tok', TOKEN, 2, col(TOKEN, 10), col(TOKEN, 10) + 24],
    ]);
    expect(col('Zq8')).toBe(38);
    expect(found[1]?.line.reveal()).toContain('pw=Zq8Wm3Xk€ü9');
  });

  test('an empty match before a multi-byte character does not stop the rule', () => {
    const r = rule({ id: 'opt', regex: String.raw`(?:tok_)?([A-Za-z0-9]{20})?` });
    const [f] = detect([r], `é🔑 ${TOKEN}`);
    expect(f?.secret.reveal()).toBe(TOKEN.slice(4));
    expect(f?.location.startColumn).toBe(9);
  });

  test('takes the first non-empty group without secretGroup, the named one with it', () => {
    const r = rule({ id: 'pair', regex: String.raw`(?:id=([a-z0-9]{8})|key=([A-Za-z0-9]{16}))`, keywords: ['id=', 'key='] });
    expect(detect([r], 'key=Ab3dEf6hIj9kLm2n')[0]?.secret.reveal()).toBe('Ab3dEf6hIj9kLm2n');
    const g2 = rule({ id: 'g2', regex: String.raw`user=(\w+) pass=(\w+)`, secretGroup: 2, keywords: ['pass='] });
    expect(detect([g2], 'user=alice pass=Zq8Wm3Xk')[0]?.secret.reveal()).toBe('Zq8Wm3Xk');
  });

  test('keywords gate a rule, case-insensitively', () => {
    const r = rule({ id: 'kw', regex: String.raw`v=([A-Za-z0-9]{12})`, keywords: ['vendor'] });
    expect(detect([r], 'v=Ab3dEf6hIj9k')).toEqual([]);
    expect(detect([r], 'VENDOR v=Ab3dEf6hIj9k')).toHaveLength(1);
  });

  test('entropy threshold drops low-entropy secrets', () => {
    const r = rule({ id: 'e', regex: String.raw`pw=(\S+)`, keywords: ['pw='], entropy: 3.5 });
    expect(detect([r], 'pw=aabbccddeeff')).toEqual([]);
    expect(detect([r], 'pw=Xk9#mQ2$vL8pR4')).toHaveLength(1);
  });

  test('placeholders, templates and references are not secrets', () => {
    const r = rule({ id: 'p', regex: String.raw`key=(\S+)`, keywords: ['key='] });
    for (const v of ['${API_KEY}', '{{.Values.key}}', '$(KEY)', '<your-token>', 'changeme123', 'xxxxxxxx', 'process.env.KEY', 'aaaa1111']) {
      expect(detect([r], `key=${v}`), v).toEqual([]);
    }
  });

  test('a multi-line PEM block is one finding spanning its lines', () => {
    const r = rule({ id: 'pem', regex: String.raw`(?s)-----BEGIN RSA PRIVATE KEY-----.+?-----END RSA PRIVATE KEY-----`, keywords: ['-----begin'] });
    const body = ['MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn', 'Q8fTz2Kp9Lm4Vn7Bc1Xw5Rt8Yu3Io6', 'Pa2Sd5Fg8Hj1Kl4Zx7Cv0Bn3Mq6We9'];
    const text = `x\n-----BEGIN RSA PRIVATE KEY-----\n${body.join('\n')}\n-----END RSA PRIVATE KEY-----\ny\n`;
    const found = detect([r], text);
    expect(found).toHaveLength(1);
    expect(found[0]?.location).toMatchObject({ startLine: 2, startColumn: 1, endLine: 6, endColumn: 30 });
  });

  test('CRLF and lone CR line endings give the right line numbers', () => {
    expect(detect([tokenRule], `a\r\nb\r\n${TOKEN}`)[0]?.location.startLine).toBe(3);
    expect(detect([tokenRule], `a\rb\r${TOKEN}`)[0]?.location.startLine).toBe(3);
  });
});

describe('chunk positions', () => {
  test('startLine, startColumn and lineMap shift locations to the original input', () => {
    expect(detect([tokenRule], `x\n${TOKEN}`, { startLine: 10 })[0]?.location.startLine).toBe(11);
    expect(detect([tokenRule], TOKEN, { startColumn: 7 })[0]?.location.startColumn).toBe(7);
    expect(detect([tokenRule], `x\ny\n${TOKEN}`, { lineMap: [4, 9, 20] })[0]?.location.startLine).toBe(20);
  });

  test('decoded text reports the span of the encoded value and says so', () => {
    const [f] = detect([tokenRule], `token: ${TOKEN}`, { decodedFrom: { encoding: 'base64', line: 8, column: 9, endColumn: 45 }, place: 'k8s.secret.data' });
    expect(f?.location).toMatchObject({ startLine: 8, startColumn: 9, endLine: 8, endColumn: 45 });
    expect(f?.decodedFrom).toBe('base64');
    expect(f?.place).toBe('k8s.secret.data');
  });
});

describe('suppression in the engine', () => {
  test('inline spillway:allow and gitleaks:allow on the line suppress', () => {
    expect(detect([tokenRule], `t = "${TOKEN}" // spillway:allow`)).toEqual([]);
    expect(detect([tokenRule], `t = "${TOKEN}" # gitleaks:allow`)).toEqual([]);
    expect(detect([tokenRule], `t = "${TOKEN}"\n// spillway:allow`)).toHaveLength(1);
  });

  test('rule allowlists: regex targets, stopwords, paths, AND condition', () => {
    const text = `t = "${TOKEN}"`;
    expect(detect([{ ...tokenRule, allowlists: [allowlist({ regexes: ['^tok_q7'] })] }], text)).toEqual([]);
    expect(detect([{ ...tokenRule, allowlists: [allowlist({ regexTarget: 'line', regexes: ['^t = '] })] }], text)).toEqual([]);
    expect(detect([{ ...tokenRule, allowlists: [allowlist({ stopwords: ['Q7WM'] })] }], text)).toEqual([]);
    expect(detect([{ ...tokenRule, allowlists: [allowlist({ paths: ['^src/'] })] }], text)).toEqual([]);
    const and = allowlist({ condition: 'AND', paths: ['^src/'], regexes: ['nomatch'] });
    expect(detect([{ ...tokenRule, allowlists: [and] }], text)).toHaveLength(1);
  });

  test('global allowlists apply to every rule', () => {
    expect(detect([tokenRule], `t = "${TOKEN}"`, {}, [allowlist({ paths: ['\\.ts$'] })])).toEqual([]);
  });
});

describe('rule scope and overlaps', () => {
  test('path- and place-bound rules apply only where they match', () => {
    const r = rule({ id: 'copy-env', regex: String.raw`(?m)^COPY\s+(\.env)\b`, keywords: ['copy'], path: '(^|/)Dockerfile$' });
    expect(detect([r], 'COPY .env /app/')).toEqual([]);
    expect(detect([r], 'COPY .env /app/', { provenance: { kind: 'file', path: 'svc/Dockerfile' } })).toHaveLength(1);
    const p = rule({ id: 'cm', regex: String.raw`password: (\S+)`, keywords: ['password'], place: '^k8s\\.configmap' });
    expect(detect([p], 'password: Zq8Wm3Xk2')).toEqual([]);
    expect(detect([p], 'password: Zq8Wm3Xk2', { place: 'k8s.configmap.data' })).toHaveLength(1);
  });

  test('a specific rule wins over a generic one on the same secret', () => {
    const generic = rule({ id: 'generic', regex: String.raw`(?i)token\s*=\s*"([^"]+)"`, keywords: ['token'], tags: ['generic'] });
    const found = detect([generic, tokenRule], `token = "${TOKEN}"`);
    expect(found.map((f) => f.ruleId)).toEqual(['tok']);
  });

  test('on an identical span a place-bound rule wins over an unbound one, whatever the catalogue order', () => {
    const loose = rule({ id: 'loose', regex: String.raw`password: (\S+)`, keywords: ['password'], tags: ['generic'] });
    const bound = rule({ id: 'bound', regex: String.raw`password: (\S+)`, keywords: ['password'], tags: ['generic'], place: '^k8s' });
    const chunk = { place: 'k8s.configmap.data' };
    expect(detect([loose, bound], 'password: Zq8Wm3Xk2', chunk).map((f) => f.ruleId)).toEqual(['bound']);
    expect(detect([bound, loose], 'password: Zq8Wm3Xk2', chunk).map((f) => f.ruleId)).toEqual(['bound']);
  });

  test('a rule with only a path reports the file itself', () => {
    const r = rule({ id: 'key-file', path: '(^|/)id_rsa$' });
    const found = detect([r], 'anything', { provenance: { kind: 'file', path: 'home/.ssh/id_rsa' } });
    expect(found.map((f) => [f.ruleId, f.location.startLine])).toEqual([['key-file', 1]]);
  });
});

describe('fingerprints', () => {
  test('stable across line shifts, different per path and per key, and never the bare secret', () => {
    const a = detect([tokenRule], `t = "${TOKEN}"`)[0]!;
    const b = detect([tokenRule], `\n\n\nt = "${TOKEN}"`)[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^tok:src\/app\.ts:[0-9a-f]{32}$/);
    expect(a.fingerprint).not.toContain(TOKEN);
    const other = createDetector({ rules: [tokenRule], allowlists: [] }, { fingerprintKey: Buffer.from('other') }).detector;
    expect(other.detect({ text: `t = "${TOKEN}"`, provenance: { kind: 'file', path: 'src/app.ts' } })[0]!.fingerprint).not.toBe(a.fingerprint);
  });
});

describe('secrecy', () => {
  test('a finding serialised or printed never holds the secret', () => {
    const f = detect([tokenRule], `t = "${TOKEN}"`)[0]!;
    expect(JSON.stringify(f)).not.toContain(TOKEN.slice(6));
    expect(String(f.secret)).not.toContain(TOKEN.slice(6));
  });

  test('a context window cut through a secret name still masks the value assigned to it', () => {
    const value = 'qwertzuiopasdfghjklyxcvbnm'; // letters only: no rule, no random-looking token run
    const head = `x = 1; password = "${value}";`;
    // The token starts 200 characters after `pass`: the window around it begins inside the name.
    const tokenAt = head.indexOf('pass') + 4 + 200;
    const line = `${head}${' '.repeat(tokenAt - head.length - 't = "'.length)}t = "${TOKEN}"`;
    const f = detect([tokenRule], line)[0]!;
    expect(f.line.reveal()).toMatch(/^word = "/);
    expect(f.line.reveal()).not.toContain(value.slice(0, 12));
  });

  test('a long token with a vendor prefix is masked in the context, however plain its characters', () => {
    const vendor = `gh${'p_'}${'A'.repeat(30)}bcdefg`;
    const f = detect([tokenRule], `list = ["${vendor}", "${TOKEN}"]`)[0]!;
    expect(f.line.reveal()).not.toContain(vendor.slice(4, 16));
    expect(f.line.reveal()).toContain(TOKEN);
  });
});

describe('compiling on first use', () => {
  // A rule's regex compiles only once a chunk holds one of its keywords: a bad one is harmless until then,
  // and then fails naming the rule (parseRuleFile refuses such a rule from a user's file before that).
  const bad = rule({ id: 'backref', regex: String.raw`(a)\1`, keywords: ['zzz'] });

  test('a rule whose keyword never appears is never compiled', () => {
    expect(detect([tokenRule, bad], `t = "${TOKEN}"`).map((f) => f.ruleId)).toEqual(['tok']);
  });

  test('a regex that cannot compile fails naming its rule when first needed', () => {
    expect(() => detect([bad], 'zzz aa')).toThrow(/rule backref: regex cannot compile/);
  });
});
