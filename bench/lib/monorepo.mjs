// Generates a small deterministic monorepo (a git repository): packages of TypeScript, JSON, YAML, Dockerfiles
// and docs, as a pre-commit hook or a CI job sees them, with a few fake secrets assembled at run time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bump when the generator changes, so an old repository under bench/.work/ is rebuilt. */
const GENERATOR_VERSION = 1;
const ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.test', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.test' };

/** Source of `lines` lines of ordinary TypeScript, full of token/secret/key identifiers. */
function typescript(name, lines) {
  const out = [`import { request } from '../client.js';`, ''];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `export async function ${name}${i}(token: string, options: { secretName?: string } = {}): Promise<number> {`,
      `  const res = await request({ path: '/v1/${name}/${i}', headers: { authorization: \`Bearer \${token}\` } });`,
      `  if (!res.ok) throw new Error('${name} ${i}: missing api key for ' + (options.secretName ?? 'default'));`,
      `  return res.status * ${i + 3};`,
      `}`,
    );
  }
  return out.join('\n') + '\n';
}

function manifest(pkg) {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: { name: ${pkg} }`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${pkg}`,
    `          image: registry.internal/${pkg}:1.4.2`,
    '          env:',
    '            - name: DB_PASSWORD',
    '              valueFrom: { secretKeyRef: { name: db-credentials, key: password } }',
    '',
  ].join('\n');
}

/**
 * Makes (or reuses) a repository of `files` files under `dir` with one commit. Returns its path and the
 * number of fake secrets planted.
 */
export function ensureMonorepo(dir, { files = 250 } = {}) {
  const stamp = join(dir, '.git', `spillway-bench-${GENERATOR_VERSION}-${files}`);
  if (existsSync(stamp)) return { repo: dir, files, secrets: 3, reused: true };
  rmSync(dir, { recursive: true, force: true });
  const write = (rel, text) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  let written = 1; // the .env.example below
  for (let p = 0; written < files; p++) {
    const pkg = `pkg-${p}`;
    const add = (rel, text) => {
      if (written >= files) return;
      write(`packages/${pkg}/${rel}`, text);
      written++;
    };
    add('package.json', JSON.stringify({ name: `@mono/${pkg}`, version: '1.0.0', type: 'module', dependencies: { yaml: '^2.0.0' } }, null, 2) + '\n');
    add('README.md', `# ${pkg}\n\nSet the API key in the environment; the token is read at start.\n`.repeat(8));
    add('Dockerfile', `FROM node:22-slim\nWORKDIR /app\nCOPY . .\nENV NODE_ENV=production\nRUN npm ci --omit=dev\nCMD ["node", "dist/index.js"]\n`);
    add('deploy/deployment.yaml', manifest(pkg));
    for (let f = 0; f < 16; f++) add(`src/m${f}.ts`, typescript(`p${p}m${f}`, 60 + ((p * 7 + f * 13) % 80)));
  }
  // Fake secrets, assembled from pieces so that this file holds none.
  write('packages/pkg-0/src/m1.ts', typescript('p0m1', 60) + `const stripeKey = '${'sk_' + 'live_'}${'4eC39HqLyjWDarjtT1zdp7dc'}';\n`);
  write('packages/pkg-2/.env.example', `GH_TOKEN=${'ghp_'}${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'}\n`);
  write('packages/pkg-4/deploy/deployment.yaml', manifest('pkg-4') + `# AWS_ACCESS_KEY_ID=${'AK' + 'IA'}${'QWERTYUIOPASDF23'}\n`);
  const git = (...args) => spawnSync('git', ['-C', dir, ...args], { env: ENV, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'monorepo');
  writeFileSync(stamp, '');
  return { repo: dir, files, secrets: 3, reused: false };
}
