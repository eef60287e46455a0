// A compose env_file reference is a leak only when the file it names is in the repository (not ignored).
import { posix } from 'node:path';
import type { Finding } from '../types.js';

export const ENV_FILE_RULE = 'compose-env-file';

/**
 * Keeps an env_file finding only when the referenced file was part of the scan (inside a git checkout:
 * tracked, or untracked and not ignored), saying so; a reference to a missing or ignored file is dropped.
 */
export function confirmEnvFileRefs(findings: Finding[], scanned: ReadonlySet<string>): Finding[] {
  return findings.flatMap((f) => {
    if (f.ruleId !== ENV_FILE_RULE) return [f];
    const target = posix.normalize(posix.join(posix.dirname(f.location.path), f.secret.reveal()));
    if (!scanned.has(target)) return [];
    const message = `env_file ${target} is in the repository and not ignored by git: every value in it is committed (it is scanned as its own file too).`;
    return [{ ...f, message }];
  });
}
