// Whether the built CLI (dist/cli/bin.js) offers a command: end-to-end tests skip, saying so, when it does not.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const CLI_BIN = `${DIST}cli/bin.js`;

/** True when `spillway --help` lists `command` and the rule catalogue exists; otherwise logs why tests are skipped. */
export function cliHas(command: string): boolean {
  const run = existsSync(CLI_BIN) ? spawnSync(process.execPath, [CLI_BIN, '--help'], { encoding: 'utf8' }) : undefined;
  const listed = new RegExp(`^\\s+spillway ${command}\\b`, 'm').test(run?.stdout ?? '');
  const rules = existsSync(new URL('../../rules/', import.meta.url));
  if (!listed || !rules) {
    const why = run ? `exit ${run.status}${run.error ? `, ${run.error.message}` : ''}${run.stderr ? `, ${run.stderr.trim().slice(0, 300)}` : ''}` : 'not built';
    console.warn(`SKIPPED: the built CLI has no \`${command}\` command or no rules/ yet (${CLI_BIN}: ${why})`);
  }
  return listed && rules;
}
