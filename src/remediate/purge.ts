// Purging a leaked value from git history: drop a secret file from every commit, or replace the value in every blob.
import { closeSync, constants, fchmodSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { Secret } from '../secret.js';
import { shellQuote, type IncidentFinding } from './plan.js';

/** Dotenv files (not their templates), private keys and keystores, credential files: files that are a secret as a whole. */
const SECRET_FILE = /^(?:\.env(?:\.(?!example$|sample$|template$|dist$)[\w-]+)?|.+\.env|id_(?:rsa|dsa|ecdsa|ed25519)|.+\.(?:pem|key|p12|pfx|jks|keystore|ppk|kdbx)|\.netrc|\.pgpass|\.htpasswd|credentials)$/i;

/** True when the file at `path` holds nothing but secrets: removing it from every commit loses nothing else. */
export function isSecretFile(path: string): boolean {
  return SECRET_FILE.test(basename(path));
}

/** Every path the leaked file had in history (the finding's, plus alsoIn for git findings). */
export function leakedPaths(finding: IncidentFinding): string[] {
  const paths = [finding.provenance.path || finding.path];
  if (finding.provenance.kind === 'git') for (const a of finding.provenance.alsoIn ?? []) paths.push(a.path);
  return [...new Set(paths)];
}

/**
 * The exact `git filter-repo` command for the leak. Secret files are dropped from every commit (`--invert-paths`);
 * any other file (source, manifest) keeps its history and only the value is replaced in every blob (`--replace-text`),
 * from an expressions file spillway writes 0600 to a temporary file and the command removes: the value is never printed.
 */
export function filterRepoCommand(finding: IncidentFinding): string {
  const paths = leakedPaths(finding);
  if (paths.every(isSecretFile)) return `git filter-repo --invert-paths ${paths.map((p) => `--path ${shellQuote(p)}`).join(' ')}`;
  const write = `spillway remediate --report ${shellQuote(finding.report)} --finding ${shellQuote(finding.fingerprint)} --purge-expressions "$f"`;
  return `f=$(mktemp) && ${write} && git filter-repo --replace-text "$f"; rm -f "$f"`;
}

/** The `--replace-text` expressions: one literal line per value, replaced by `***REMOVED***`. Throws for a value a line cannot hold. */
export function purgeExpressions(values: Secret[]): string {
  const lines = new Set<string>();
  for (const v of values) {
    const text = v.reveal();
    if (/[\r\n]/.test(text) || text.includes('==>')) throw new Error(`the leaked value (${v.redacted()}) spans lines or holds "==>": a --replace-text literal cannot express it; purge the file with --invert-paths --path or write a regex: line by hand`);
    lines.add(`literal:${text}==>***REMOVED***`);
  }
  return [...lines].map((l) => `${l}\n`).join('');
}

/** Writes the expressions to `file` with mode 0600 (a symlink is refused); returns how many lines were written. */
export function writePurgeExpressions(file: string, values: Secret[]): number {
  const text = purgeExpressions(values);
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    throw new Error(`--purge-expressions ${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return text.split('\n').length - 1;
}
