// Whether the built CLI (dist/cli/bin.js) offers a command: end-to-end tests skip, saying so, when it does not.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const CLI_BIN = `${DIST}cli/bin.js`;

/** True when `spillway <command> --help` runs; otherwise logs why the caller's tests are skipped. */
export function cliHas(command: string): boolean {
  const ok = existsSync(CLI_BIN) && spawnSync(process.execPath, [CLI_BIN, command, '--help'], { encoding: 'utf8' }).status === 0;
  if (!ok) console.warn(`SKIPPED: the built CLI has no \`${command}\` command yet (${CLI_BIN})`);
  return ok;
}
