// A broken --baseline is named with where it breaks, never with its content: JSON.parse quotes the text around
// the error, and a broken report may hold a token there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBaseline } from '../../src/config/baseline.js';

const dir = mkdtempSync(join(tmpdir(), 'spillway-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const token = ['ghp', 'B'.repeat(18), 'c'.repeat(18)].join('_');

describe.each([
  ['a gitleaks array', `[{"Secret": ${token}}]`, ''],
  ['a gitleaks array cut short', `[{"Secret": "${token}", `, ' at line 1, column'],
  ['a spillway report', `{"findings": [\n  {"secret": ${token}}]}`, ''],
  ['a spillway report with a bad number', `{"version": 1,\n "x": "${token}" 5}`, ' at line 2, column'],
])('%s that is not valid JSON', (_name, text, where) => {
  it('is refused naming the file, without quoting it', async () => {
    const file = join(dir, 'baseline.json');
    writeFileSync(file, text);
    const err = (await readBaseline(file, dir).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain(`${file}: not valid JSON${where}`);
    for (let i = 0; i + 6 <= token.length; i++) expect(err.message).not.toContain(token.slice(i, i + 6));
    expect(err.message).not.toMatch(/"\w/);
  });
});
