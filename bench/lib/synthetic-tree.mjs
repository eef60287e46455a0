// Generates a deterministic synthetic source tree (seeded) with sparse fake secrets, for benchmarks.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bump when the generator changes, so an old tree under bench/.work/ is rebuilt. */
const GENERATOR_VERSION = 4;

/** A small fast seeded PRNG (mulberry32): the same seed gives the same tree on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'user account order item cart price total count index value result data config options client server ' +
  'request response handler service manager cache queue event message payload record entry field column ' +
  'token secret password key auth session credential apiKey accessToken refreshToken secretName keyId ' +
  'tokenCount passwordHash keyPrefix sessionKey authHeader retry timeout limit offset page size buffer ' +
  'stream reader writer parser builder factory context state store route path url host port region bucket'
).split(' ');
const TYPES = ['string', 'number', 'boolean', 'Date', 'Buffer', 'Record<string, string>', 'unknown[]'];

/**
 * Fake secrets of well-known shapes, assembled from pieces at run time so that this file itself holds none.
 * Each returns `{ kind, line }` for a given language comment style.
 */
function makeSecret(r) {
  const pick = (alphabet, n) => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
  const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const B64 = ALNUM + '+/';
  const kinds = [
    () => ['aws', `AWS_ACCESS_KEY_ID=${'AK' + 'IA'}${pick(UP, 16)}\nAWS_SECRET_ACCESS_KEY=${pick(B64, 40)}`],
    () => ['github-fine-grained', `GH_TOKEN=${'github' + '_pat_'}${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`],
    () => ['slack-bot', `SLACK_BOT_TOKEN=${'xox' + 'b-'}${pick('0123456789', 12)}-${pick('0123456789', 13)}-${pick(ALNUM, 24)}`],
    () => ['stripe', `STRIPE_KEY=${'sk_' + 'live_'}${pick(ALNUM, 24)}`],
    () => ['postgres-url', `DATABASE_URL=${'postgres' + '://'}app:${pick(ALNUM, 18)}@db.internal:5432/app`],
    // Real project keys carry the base64 of "OpenAI" (T3BlbkFJ) between two random halves.
    () => ['openai', `OPENAI_API_KEY=${'sk-' + 'proj-'}${pick(ALNUM, 74)}${'T3Blbk' + 'FJ'}${pick(ALNUM, 74)}`],
    () => [
      'private-key',
      `-----BEGIN ${'RSA PRIVATE'} KEY-----\n${Array.from({ length: 8 }, () => pick(B64, 64)).join('\n')}\n-----END ${'RSA PRIVATE'} KEY-----`,
    ],
  ];
  const [kind, text] = kinds[Math.floor(r() * kinds.length)]();
  return { kind, text };
}

function word(r) {
  return WORDS[Math.floor(r() * WORDS.length)];
}
function camel(r, n = 2) {
  let s = word(r);
  for (let i = 1; i < n; i++) {
    const w = word(r);
    s += w[0].toUpperCase() + w.slice(1);
  }
  return s;
}
function snake(r, n = 2) {
  return Array.from({ length: n }, () => word(r).replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())).join('_');
}
function int(r, max) {
  return Math.floor(r() * max);
}

/** Line generators per language: ordinary code full of token/secret/password/key identifiers. */
const LANGS = {
  ts(r) {
    const a = camel(r);
    const b = camel(r, 3);
    const lines = [
      `export function ${b}(${a}: ${TYPES[int(r, TYPES.length)]}, options: ${camel(r)}Options = {}): ${TYPES[int(r, TYPES.length)]} {`,
      `  const ${a} = await this.${camel(r)}.get(${JSON.stringify(snake(r))});`,
      `  if (!${a}.token) throw new Error('missing token for ${word(r)} ${word(r)}');`,
      `  const secretName = \`\${namespace}-${word(r)}-credentials\`;`,
      `  return this.client.request({ method: 'POST', path: '/v1/${word(r)}/${word(r)}', headers: { authorization: \`Bearer \${session.accessToken}\` } });`,
      `  for (const [key, value] of Object.entries(${a})) ${b}.set(key, String(value ?? ''));`,
      `  // ${word(r)} the ${word(r)} before the ${word(r)} key is rotated; see ${word(r)}.md`,
      `import { ${camel(r)}, ${camel(r)} } from './${word(r)}/${word(r)}.js';`,
      `interface ${camel(r)[0].toUpperCase()}${camel(r).slice(1)} { ${a}: ${TYPES[int(r, TYPES.length)]}; passwordHash?: string; keyId: number }`,
      `  const hashed = await hashPassword(input.password, { rounds: ${int(r, 16) + 4} });`,
      `}`,
      ``,
    ];
    return lines[int(r, lines.length)];
  },
  py(r) {
    const lines = [
      `def ${snake(r)}(self, ${snake(r, 1)}, password=None, token=None):`,
      `    ${snake(r)} = self.${snake(r)}.get("${snake(r)}", ${int(r, 1000)})`,
      `    if password is None:\n        password = getpass.getpass("password for %s: " % user)`,
      `    secret_key = settings.SECRET_KEY  # loaded from the ${word(r)} store`,
      `    return {"${snake(r, 1)}": ${snake(r)}, "token_type": "bearer", "expires_in": ${int(r, 86400)}}`,
      `class ${camel(r)[0].toUpperCase()}${camel(r).slice(1)}(Base${word(r)}):`,
      `    """${word(r)} ${word(r)} ${word(r)}: returns the api_key for the ${word(r)}."""`,
      `import ${snake(r, 1)}`,
      ``,
    ];
    return lines[int(r, lines.length)];
  },
  go(r) {
    const lines = [
      `func (s *${camel(r)}) ${camel(r)}(ctx context.Context, key string) (*${camel(r)}, error) {`,
      `\ttoken, err := s.tokens.Lookup(ctx, key)`,
      `\tif err != nil {\n\t\treturn nil, fmt.Errorf("lookup ${word(r)} token: %w", err)\n\t}`,
      `\tSecretName string \`json:"secretName" yaml:"secretName"\``,
      `\tPassword   string \`json:"-"\` // never serialised`,
      `\t${camel(r)} := make(map[string]${['int', 'string', 'bool'][int(r, 3)]}, ${int(r, 64)})`,
      `}`,
      ``,
    ];
    return lines[int(r, lines.length)];
  },
  yaml(r) {
    const lines = [
      `${snake(r)}:`,
      `  ${snake(r, 1)}: ${int(r, 10000)}`,
      `  secretName: ${word(r)}-${word(r)}-secret`,
      `        - name: ${snake(r).toUpperCase()}\n          valueFrom:\n            secretKeyRef:\n              name: ${word(r)}-credentials\n              key: password`,
      `  image: registry.internal/${word(r)}/${word(r)}:${int(r, 9)}.${int(r, 20)}.${int(r, 30)}`,
      `  token_ttl: ${int(r, 3600)}s`,
      `# ${word(r)} ${word(r)} ${word(r)} ${word(r)}`,
    ];
    return lines[int(r, lines.length)];
  },
  json(r) {
    return `  {"id": ${int(r, 1e6)}, "${camel(r)}": "${word(r)}-${int(r, 1e4)}", "key": "${snake(r)}", "tokenCount": ${int(r, 4096)}, "enabled": ${r() < 0.5}},`;
  },
  md(r) {
    const n = 6 + int(r, 30);
    const s = Array.from({ length: n }, () => word(r)).join(' ');
    return r() < 0.1 ? `## ${s.slice(0, 40)}` : `${s[0].toUpperCase()}${s.slice(1)}.`;
  },
};
const EXT = { ts: 'ts', py: 'py', go: 'go', yaml: 'yaml', json: 'json', md: 'md' };
const LANG_WEIGHTS = [
  ['ts', 30],
  ['py', 15],
  ['go', 15],
  ['yaml', 12],
  ['json', 10],
  ['md', 8],
  ['min', 10],
];

function pickLang(r) {
  let x = r() * 100;
  for (const [lang, w] of LANG_WEIGHTS) if ((x -= w) < 0) return lang;
  return 'ts';
}

/** A minified bundle: one long line of dense code, as bundlers produce. */
function minified(r, bytes) {
  const parts = [];
  let size = 0;
  while (size < bytes) {
    const p = `function ${camel(r)}(e,t){var n=e.token||t.key,r=n&&n.${camel(r)};if(!r)return t.secret=void 0,null;return ${int(r, 999)}<r.length?e.password:r}`;
    parts.push(p, ';');
    size += p.length + 1;
  }
  return '!function(){"use strict";' + parts.join('') + '}();\n';
}

/**
 * Makes (or reuses) a tree of at least `mb` megabytes under `dir`. Returns its size, file count and the
 * number of fake secrets planted, by kind.
 */
export function ensureTree(dir, { mb = 200, seed = 42, secretEvery = 150 } = {}) {
  const manifestPath = join(dir, 'manifest.json');
  const want = { version: GENERATOR_VERSION, mb, seed, secretEvery };
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (JSON.stringify(manifest.params) === JSON.stringify(want)) return { ...manifest, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  const r = rng(seed);
  const target = mb * 1e6;
  let bytes = 0;
  let files = 0;
  const secrets = {};
  const tree = join(dir, 'tree');
  while (bytes < target) {
    const lang = pickLang(r);
    const folder = join(tree, `pkg${int(r, 40)}`, ['src', 'lib', 'internal', 'config', 'docs'][int(r, 5)]);
    let text;
    let ext;
    if (lang === 'min') {
      ext = 'min.js';
      text = minified(r, r() < 0.2 ? 300_000 + int(r, 1_500_000) : 20_000 + int(r, 80_000));
    } else {
      ext = EXT[lang];
      const size = 1500 + Math.floor(r() ** 2 * 60_000);
      const lines = [];
      let n = 0;
      while (n < size) {
        const line = LANGS[lang](r);
        lines.push(line);
        n += line.length + 1;
      }
      if (files % secretEvery === secretEvery - 1) {
        const s = makeSecret(r);
        lines.splice(int(r, lines.length), 0, s.text);
        secrets[s.kind] = (secrets[s.kind] ?? 0) + 1;
      }
      text = lines.join('\n') + '\n';
    }
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${camel(r)}-${files}.${ext}`), text);
    bytes += Buffer.byteLength(text);
    files++;
  }
  const manifest = { params: want, tree, bytes, files, secrets };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return { ...manifest, reused: false };
}
