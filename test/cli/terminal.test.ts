// Escape sequences in a scanned file name reach stderr (notes, --debug) as visible text, never as terminal control.
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { spillway, tree } from './run.js';

describe('terminal output of hostile names', () => {
  it('prints notes and debug lines with control characters escaped', async () => {
    const dir = await tree({ 'ok.txt': 'nothing\n' });
    await writeFile(`${dir}/evil\x1b]0;pwned\x07\x1b[2J\u202e.bin`, Buffer.alloc(64, 0));
    const run = await spillway(['scan', '.', '--format', 'json', '--debug'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J\\u{202e}.bin');
    expect(run.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
  });
});
