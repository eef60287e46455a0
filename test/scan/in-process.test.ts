// Nothing in src/ runs our own CLI as a child: the commands, the Action and the audit call the library in-process.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

it('no source file starts a Node child process (the way to run dist/cli/bin.js)', () => {
  const spawning = sources(SRC).filter((file) => {
    const text = readFileSync(file, 'utf8');
    return text.includes('node:child_process') && /process\.execPath|process\.argv0/.test(text);
  });
  expect(spawning.map((f) => f.slice(SRC.length))).toEqual([]);
});
