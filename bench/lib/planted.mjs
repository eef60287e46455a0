// Fake secrets planted in the file formats people commit them in (dotenv, JSON, YAML, Kubernetes Secrets, Helm
// values, Dockerfile ENV/ARG/RUN, compose, shell, source code, URLs): values are made at run time from a seed.

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function chars(rand, n, alphabet = ALNUM) {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

/** Fake values, each of a kind the catalogue has a rule for; prefixes are assembled so this file holds no token. */
const VALUES = [
  (r) => 'AK' + 'IA' + chars(r, 16, B32),
  (r) => 'sk' + '_live_' + chars(r, 24),
  (r) => 'xo' + 'xb-' + chars(r, 12, '0123456789') + '-' + chars(r, 12, '0123456789') + '-' + chars(r, 24),
  (r) => 'gl' + 'pat-' + chars(r, 20),
  (r) => chars(r, 4) + '-' + chars(r, 10) + '!' + chars(r, 6),
  (r) => chars(r, 28),
];

/** Forms a value can be written in: a file path and its text, and the line (1-based) the value sits on. */
const FORMS = [
  (v, i) => ({ path: `services/s${i}/.env`, text: `NODE_ENV=production\nAPI_KEY=${v}\nPORT=8080\n`, line: 2 }),
  (v, i) => ({ path: `services/s${i}/config.json`, text: JSON.stringify({ name: `s${i}`, database: { host: 'db.internal', password: v } }, null, 2) + '\n', line: 5 }),
  (v, i) => ({ path: `deploy/s${i}/secret.yaml`, text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s${i}-credentials\ntype: Opaque\ndata:\n  password: ${Buffer.from(v).toString('base64')}\n`, line: 7 }),
  (v, i) => ({ path: `charts/s${i}/values.yaml`, text: `replicaCount: 2\nimage:\n  repository: registry.internal/s${i}\nauth:\n  apiToken: ${v}\n`, line: 5 }),
  (v, i) => ({ path: `images/s${i}/Dockerfile`, text: `FROM node:22-slim\nWORKDIR /app\nENV SERVICE_TOKEN=${v}\nCMD ["node", "index.js"]\n`, line: 3 }),
  (v, i) => ({ path: `images/b${i}/Dockerfile`, text: `FROM alpine:3.20\nARG DEPLOY_PASSWORD=${v}\nRUN echo building\n`, line: 2 }),
  (v, i) => ({ path: `images/r${i}/Dockerfile`, text: `FROM alpine:3.20\nRUN curl -fsS -u deploy:${v} https://artifacts.internal/pkg.tgz -o /tmp/pkg.tgz\n`, line: 2 }),
  (v, i) => ({ path: `compose/s${i}/docker-compose.yml`, text: `services:\n  app:\n    image: registry.internal/s${i}\n    environment:\n      - DB_PASSWORD=${v}\n`, line: 5 }),
  (v, i) => ({ path: `scripts/s${i}/deploy.sh`, text: `#!/bin/sh\nset -eu\nexport AUTH_TOKEN="${v}"\n./deploy\n`, line: 3 }),
  (v, i) => ({ path: `src/s${i}/client.ts`, text: `import { connect } from './net.js';\n\nconst apiSecret = "${v}";\nexport const client = connect({ apiSecret });\n`, line: 3 }),
  (v, i) => ({ path: `config/s${i}/database.yml`, text: `production:\n  url: postgres://app:${v}@db.internal:5432/s${i}\n`, line: 2 }),
];

/**
 * `count` planted secrets, each `{ value, path, text, line }`: value kinds and file forms rotate, so that every form
 * holds every kind. Every secret sits in its own file.
 */
export function plantedSecrets(count, seed = 11) {
  const rand = rng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const value = VALUES[i % VALUES.length](rand);
    const form = FORMS[Math.floor(i / VALUES.length + i) % FORMS.length](value, i);
    out.push({ value, ...form });
  }
  return out;
}

/** Ordinary files with no secret (code, docs, manifests): the rest of a monorepo. */
export function fillerFiles(count) {
  const files = [];
  for (let i = 0; files.length < count; i++) {
    const lines = [`import { request } from '../client.js';`, ''];
    for (let k = 0; k < 12; k++) lines.push(`export async function f${i}_${k}(token: string): Promise<number> {`, `  const res = await request({ path: '/v1/${i}/${k}', headers: { authorization: \`Bearer \${token}\` } });`, `  return res.status;`, `}`);
    files.push({ path: `packages/p${i % 12}/src/m${i}.ts`, text: lines.join('\n') + '\n' });
    if (i % 5 === 0) files.push({ path: `packages/p${i % 12}/README.md`, text: `# p${i}\n\nSet the API key in the environment (API_KEY); never commit it.\n` });
  }
  return files.slice(0, count);
}

/**
 * Files for the checks across files: a SealedSecret next to the Secret `deploy/s2/secret.yaml` of the planted set
 * (reported: the unsealed Secret is committed too), and compose env_file references to a committed file and to a
 * missing one (only the first is reported).
 */
export function crossFileFiles() {
  return [
    { path: 'deploy/s2/sealed.yaml', text: `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s2-credentials\nspec:\n  encryptedData:\n    password: ${'Ag' + 'B'.repeat(60)}==\n` },
    { path: 'compose/app/docker-compose.yml', text: 'services:\n  app:\n    image: registry.internal/app\n    env_file:\n      - app.env\n      - missing.env\n' },
    { path: 'compose/app/app.env', text: 'LOG_LEVEL=info\n' },
  ];
}
