// The hooks we offer the pre-commit framework: a manifest every version people run accepts (Debian 12 ships
// pre-commit 3.0.4, which rejects the `pre-commit` stage name), and the spillway-system hook run for real by the
// pre-commit on this machine when there is one.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { drawSecret, KINDS } from '../secrecy/fake-secrets.js';
import { BIN, REPO } from '../cli/run.js';

const run = promisify(execFile);
const manifest = readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8');
const hooks = parse(manifest) as { id: string; language: string; entry: string; stages?: string[] }[];
const preCommit = await run('pre-commit', ['--version']).then(
  (r) => r.stdout.trim(),
  () => '',
);

describe('.pre-commit-hooks.yaml', () => {
  it('offers spillway (built by pre-commit) and spillway-system (the spillway on PATH), both scanning the index', () => {
    expect(hooks.map((h) => [h.id, h.language, h.entry])).toEqual([
      ['spillway', 'node', 'spillway scan --staged'],
      ['spillway-system', 'system', 'spillway scan --staged'],
    ]);
  });

  it('names no stage: `pre-commit` is refused before 3.2 and `commit` is deprecated from it', () => {
    for (const hook of hooks) expect(hook.stages, hook.id).toBeUndefined();
  });

  it.skipIf(!preCommit)(`is accepted by ${preCommit || 'pre-commit (not installed)'}`, async () => {
    await expect(run('pre-commit', ['validate-manifest', join(REPO, '.pre-commit-hooks.yaml')])).resolves.toBeDefined();
  });
});

describe.skipIf(!preCommit)(`spillway-system under ${preCommit || 'pre-commit'}`, () => {
  it('blocks a commit that stages a secret and lets a clean one through, printing no secret', async () => {
    const root = await mkdtemp(join(tmpdir(), 'spillway-pre-commit-'));
    const hookRepo = join(root, 'hooks');
    const project = join(root, 'project');
    const bin = join(root, 'bin');
    await Promise.all([mkdir(hookRepo), mkdir(project), mkdir(bin)]);
    await writeFile(join(bin, 'spillway'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    await chmod(join(bin, 'spillway'), 0o755);
    await writeFile(join(hookRepo, '.pre-commit-hooks.yaml'), manifest);
    const env = {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      HOME: root,
      PRE_COMMIT_HOME: join(root, 'cache'),
      SPILLWAY_FINGERPRINT_KEY: 'pre-commit-test-key',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    };
    const git = (cwd: string, ...args: string[]) => run('git', args, { cwd, env });
    for (const dir of [hookRepo, project]) await git(dir, 'init', '-q');
    await git(hookRepo, 'add', '.');
    await git(hookRepo, 'commit', '-qm', 'hooks');
    const tryHook = () =>
      run('pre-commit', ['try-repo', hookRepo, 'spillway-system', '--verbose'], { cwd: project, env }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );

    await writeFile(join(project, 'app.js'), 'export const retries = 3;\n');
    await git(project, 'add', 'app.js');
    const clean = await tryHook();
    expect(clean.out).toMatch(/spillway \(secrets in staged changes, spillway on PATH\)\.+Passed/);
    expect(clean.code).toBe(0);

    const secret = drawSecret(KINDS.find((k) => k.name === 'github-pat')!);
    await writeFile(join(project, '.env'), `GH_TOKEN=${secret.value}\n`);
    await git(project, 'add', '.env');
    const blocked = await tryHook();
    expect(blocked.code).toBe(1);
    expect(blocked.out).toMatch(/Failed/);
    expect(blocked.out).toMatch(/\.env:1/);
    expect(blocked.out).not.toContain(secret.random[0]!.slice(0, 12));
  });
});
