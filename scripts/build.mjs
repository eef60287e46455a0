// The build, as `npm run build`, the test setup and the benchmarks run it: tsc writes dist/ (the library, one
// file per module), the CLI is bundled over dist/cli/bin.js, and the built-in catalogue is parsed once.
// Usage: node scripts/build.mjs
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
await bundleCli();
// The parsed catalogue the CLI reads at start (src/config/builtin-cache.ts).
const { writeCatalogueCache } = await import(pathToFileURL(join(root, 'dist/config/builtin-cache.js')).href);
await writeCatalogueCache(join(root, 'rules'));
