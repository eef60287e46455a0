// Builds dist/ once so that end-to-end tests run the real CLI (and its worker threads) as users do.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  // As `npm run build` does: tsc, the bundled CLI, the parsed built-in catalogue.
  execFileSync(process.execPath, [`${root}scripts/build.mjs`], { cwd: root, stdio: 'inherit' });
}
