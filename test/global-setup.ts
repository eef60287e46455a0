// Builds dist/ once so that end-to-end tests run the real CLI (and its worker threads) as users do, and gives the
// run one temporary folder (TMPDIR, inherited by the test workers and every process they start), removed at the end.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): () => void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  // As `npm run build` does: tsc, the bundled CLI, the parsed built-in catalogue.
  execFileSync(process.execPath, [`${root}scripts/build.mjs`], { cwd: root, stdio: 'inherit' });
  const scratch = mkdtempSync(join(tmpdir(), 'spillway-tests-'));
  // As /tmp is: some tests run the CLI as an unprivileged user, which must reach (and may write in) this folder.
  chmodSync(scratch, 0o1777);
  process.env.TMPDIR = scratch;
  return () => removeAll(scratch);
}

/** rm -rf, after making every folder writable and searchable again (tests make unreadable ones on purpose). */
function removeAll(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    restoreModes(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

function restoreModes(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) restoreModes(path);
  }
}
