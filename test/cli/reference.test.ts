// README's command reference is each command's own --help: this fails when they drift (UPDATE_DOCS=1 rewrites it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { REPO } from './run.js';

const COMMANDS = ['scan', 'history', 'hook', 'logs', 'image', 'remediate', 'audit', 'merge', 'rules'];
const START = '<!-- cli-reference:start (generated from --help by test/cli/reference.test.ts) -->';
const END = '<!-- cli-reference:end -->';

async function help(command: string): Promise<string> {
  let out = '';
  const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (out += t), isTTY: false, env: {}, cwd: REPO };
  await runCli([command, '--help'], io);
  return out.trimEnd();
}

test('README lists every command with its flags, as --help prints them', async () => {
  const sections = await Promise.all(COMMANDS.map(async (c) => `### spillway ${c}\n\n\`\`\`text\n${await help(c)}\n\`\`\``));
  const generated = `${START}\n\n${sections.join('\n\n')}\n\n${END}`;
  const readmePath = join(REPO, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const current = readme.slice(readme.indexOf(START), readme.indexOf(END) + END.length);
  expect(readme.includes(START) && readme.includes(END), 'README has the reference markers').toBe(true);
  if (process.env.UPDATE_DOCS === '1') writeFileSync(readmePath, readme.replace(current, generated));
  else expect(current).toBe(generated);
});
