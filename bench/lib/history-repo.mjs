// Generates a deterministic linear git history (seeded) of unique code-like blobs with sparse fake keys, for benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';

const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A large pool of code-like text; blobs are unique slices of it plus a unique header. */
function textPool(rand, bytes) {
  const words = ['const', 'let', 'return', 'function', 'value', 'items', 'config', 'result', 'await', 'if', 'else', 'for', 'map', 'index', 'user', 'name', 'data', 'options', '=', '+', '{', '}', '(', ')', ';', 'true', 'false', 'null'];
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const n = 3 + Math.floor(rand() * 10);
    let line = '  '.repeat(Math.floor(rand() * 4));
    for (let i = 0; i < n; i++) line += words[Math.floor(rand() * words.length)] + (rand() < 0.2 ? String(Math.floor(rand() * 1e6)) : '') + ' ';
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/** A fake AWS access key id (no checksum, so the catalogue reports it): built at run time, never a real key. */
function fakeToken(rand) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let s = 'AK' + 'IA';
  for (let i = 0; i < 16; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

/**
 * (Re)creates `repo` with `commits` commits on main holding about `megabytes` MB of unique blob content, one
 * fake AWS key id every 1,000 commits. Returns the bytes of blob content written.
 */
export async function generateHistory(repo, { commits: COMMITS, megabytes: MEGABYTES }) {
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  spawnSync('git', ['init', '-q', '-b', 'main', repo], { env: gitEnv, stdio: 'inherit' });
  const rand = rng(42);
  const pool = textPool(rand, 8 * 1024 * 1024);
  const perCommit = Math.ceil((MEGABYTES * 1024 * 1024) / COMMITS);
  const fi = spawn('git', ['-C', repo, 'fast-import', '--quiet', '--done'], { env: gitEnv, stdio: ['pipe', 'inherit', 'inherit'] });
  const write = (chunk) => (fi.stdin.write(chunk) ? Promise.resolve() : new Promise((r) => fi.stdin.once('drain', r)));
  const files = Array.from({ length: 600 }, (_, i) => `src/mod${i % 24}/file${i}.ts`);
  let mark = 0;
  let bytes = 0;
  for (let c = 0; c < COMMITS; c++) {
    const changes = [];
    for (let k = 0; k < 2; k++) {
      const path = files[Math.floor(rand() * files.length)];
      const size = Math.floor(perCommit / 2);
      const at = Math.floor(rand() * (pool.length - size));
      let body = Buffer.concat([Buffer.from(`// ${path} revision ${c}.${k}\n`), pool.subarray(at, at + size)]);
      if (c % 1000 === 500 && k === 0) body = Buffer.concat([body, Buffer.from(`export const awsKeyId = "${fakeToken(rand)}";\n`)]);
      mark++;
      await write(`blob\nmark :${mark}\ndata ${body.length}\n`);
      await write(body);
      await write('\n');
      bytes += body.length;
      changes.push(`M 100644 :${mark} ${path}\n`);
    }
    const when = 1700000000 + c * 600;
    const msg = `change ${c}\n`;
    await write(`commit refs/heads/main\nauthor Bench <bench@example.test> ${when} +0000\ncommitter Bench <bench@example.test> ${when} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}${changes.join('')}\n`);
  }
  await write('done\n');
  fi.stdin.end();
  await new Promise((r) => fi.on('close', r));
  spawnSync('git', ['-C', repo, 'reset', '-q', '--hard'], { env: gitEnv });
  return bytes;
}

