// Shared pieces of the hostile-input suite: temp trees with a known good secret, and the real CLI run as a user would.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, lstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, REPO } from '../cli/run.js';

/** The small rule set of the CLI tests (fake-token, fake-password): fast and predictable. */
export const RULES = join(REPO, 'fixtures/cli/rules.toml');

/** A fake token the `fake-token` rule finds, built at run time so this file stays clean. */
export function token(tag: string): string {
  return 'ftk_' + (tag.replace(/[^A-Za-z0-9]/g, '') + 'Zq8Wm3Xk2Lp7Vn4Bc9Rt6Yu1').slice(0, 24);
}

/** The line every good file holds: the token sits at column 6. */
export function goodLine(tag: string): string {
  return `t = "${token(tag)}"\n`;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A JSON report, as much of it as these tests read. */
export interface JsonReport {
  findings: { ruleId: string; path: string; startLine: number; startColumn: number; provenance: Record<string, unknown> }[];
  notes: { level: string; input: string; message: string }[];
}

/** Runs `spillway ...args` in `cwd`; `asNobody` runs it as uid/gid 65534 when we are root, so permissions bite. */
export function cli(args: string[], cwd: string, opts: { asNobody?: boolean; env?: Record<string, string> } = {}): Promise<CliResult> {
  const nobody = opts.asNobody === true && process.getuid?.() === 0;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: cwd, SPILLWAY_FINGERPRINT_KEY: 'hostile-test-key', ...opts.env },
        maxBuffer: 256 * 1024 * 1024,
        ...(nobody ? { uid: 65534, gid: 65534 } : {}),
      },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
    );
  });
}

/** Runs a JSON scan of `cwd` with the test rules and parses the report. */
export async function scanJson(cwd: string, extra: string[] = [], opts: { asNobody?: boolean } = {}): Promise<CliResult & { report: JsonReport }> {
  const r = await cli(['scan', '.', '--config', RULES, '--no-git', '-f', 'json', ...extra], cwd, opts);
  return { ...r, report: JSON.parse(r.stdout) as JsonReport };
}

const created: string[] = [];

/** Removes every folder `group` made (call it from afterAll), in a detached `rm`: 100,000 files take a while under load. */
export function removeGroups(): void {
  const dirs = created.splice(0);
  if (dirs.length > 0) spawn('rm', ['-rf', '--', ...dirs], { detached: true, stdio: 'ignore' }).unref();
}

/** A fresh temp folder, with `files` written (path -> text or bytes) and `good.ts` holding the good secret. */
export function group(name: string, files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `spillway-hostile-${name}-`));
  created.push(dir);
  write(dir, { 'good.ts': goodLine('good'), ...files });
  return dir;
}

/** Writes `files` under `dir`, creating folders. */
export function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
}

/** Opens `dir` to everyone (folders 0755, files 0644) so uid 65534 can walk it; leaves modes set later alone. */
export function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) openUp(p);
    else if (st.isFile()) chmodSync(p, 0o644);
  }
}

/** `path:line:col ruleId` of every finding, sorted: what a case compares. */
export function where(report: JsonReport): string[] {
  return report.findings.map((f) => `${f.path}:${f.startLine}:${f.startColumn} ${f.ruleId}`).sort();
}

/** `level input: message` of every note. */
export function notes(report: JsonReport): string[] {
  return report.notes.map((n) => `${n.level} ${n.input}: ${n.message}`);
}
