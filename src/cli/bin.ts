#!/usr/bin/env node
// The executable: the only place that touches process streams and the exit code.
import module from 'node:module';
import { compileCacheDir } from './compile-cache.js';

const argv = process.argv.slice(2);

// Node 22.1+ keeps the compiled code of our modules on disk, so the next run skips compiling them (the user's
// cache folder, never a scanned tree); NODE_DISABLE_COMPILE_CACHE=1 turns it off. Absent on Node 20.
const enableCompileCache = (module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
const cacheDir = enableCompileCache && compileCacheDir(process.env, process.cwd(), argv);
if (cacheDir) enableCompileCache(cacheDir);

if (argv.length === 1 && argv[0] === '--version') {
  // Fast path: the version needs neither yargs nor any command (a hook or a CI step asks for it often).
  const { VERSION } = await import('../version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { runCli } = await import('./main.js');
  process.exitCode = await runCli(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
  });
}
