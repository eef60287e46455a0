// A scanned file name or config key cannot start a workflow command of its own on the runner.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/run.js';
import { tempDir } from '../helpers/temp-git.js';

const dir = tempDir('action-untrusted');
afterAll(dir.cleanup);

const hostile = 'x\n::stop-commands::pwned\n::warning file=README.md::forged\r::add-mask::%0A';

describe('workflow commands from untrusted names', () => {
  it('keeps every line spillway prints one of its own commands or a plain spillway line', async () => {
    const workspace = `${dir.path}/ws`;
    mkdirSync(workspace, { recursive: true });
    writeFileSync(`${workspace}/${hostile.replace(/\//g, '_')}.bin`, Buffer.alloc(64, 0));
    writeFileSync(`${workspace}/.spillway.toml`, `[extend]\nuseDefault = true\n\n["${hostile.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"]\nx = 1\n`);
    let stdout = '';
    const code = await runAction({
      env: { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'workflow_dispatch', INPUT_MODE: 'files', RUNNER_TEMP: dir.path, SPILLWAY_FINGERPRINT_KEY: 'k' },
      stdout: (text) => (stdout += text),
    });
    expect(code).toBe(0);
    const lines = stdout.split(/\r\n|\r|\n/).filter((l) => l !== '');
    expect(lines.some((l) => l.includes('stop-commands'))).toBe(true);
    for (const line of lines) expect(line.trimStart()).toMatch(/^(spillway: |::(warning|error|notice) title=spillway::)/);
  });
});
