// yargs renders a command's help after every run unless told not to; the CLI skips that render (it cost more
// CPU than a pre-commit scan), and this test fails if a yargs upgrade moves the internal the skip replaces.
import yargs, { type Argv } from 'yargs';
import { describe, expect, it } from 'vitest';
import { skipHelpRenderAfterRun } from '../../src/cli/main.js';

type Usage = { help: () => string };
const usageOf = (parser: Argv): Usage =>
  (parser as unknown as { getInternalMethods: () => { getUsageInstance: () => Usage } }).getInternalMethods().getUsageInstance();

/** Runs a one-command parser and counts how often its help text is rendered. */
async function helpRenders(skip: boolean, argv: string[]): Promise<number> {
  const parser = yargs(argv).exitProcess(false).strict().help();
  if (skip) expect(skipHelpRenderAfterRun(parser)).toBe(true);
  const usage = usageOf(parser);
  const render = usage.help.bind(usage);
  let renders = 0;
  usage.help = () => {
    renders++;
    return render();
  };
  parser.command({ command: 'scan [paths..]', describe: 'scan', builder: (y) => y.option('staged', { type: 'boolean' }), handler: () => {} });
  await parser.parseAsync(argv, {}, () => {});
  return renders;
}

describe('help render after a command runs', () => {
  it('happens in plain yargs (the control) and not in ours', async () => {
    expect(await helpRenders(false, ['scan', '--staged'])).toBe(1);
    expect(await helpRenders(true, ['scan', '--staged'])).toBe(0);
  });

  it('still renders for --help', async () => {
    expect(await helpRenders(true, ['scan', '--help'])).toBeGreaterThan(0);
  });
});
