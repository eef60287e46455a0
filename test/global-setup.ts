// Builds dist/ once so that end-to-end tests run the real CLI (and its worker threads) as users do.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  // As `npm run build` does: the parsed built-in catalogue the CLI reads at start (src/config/builtin-cache.ts).
  execFileSync(process.execPath, ['-e', "import('./dist/config/builtin-cache.js').then((m) => m.writeCatalogueCache('rules'))"], { cwd: root, stdio: 'inherit' });
}
