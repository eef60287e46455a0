// Runs the built `remediate` command (dist/) in a child process, for tests that kill it mid-way.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { remediateCommand } from '../../dist/cli/commands/remediate.js';

const args = await remediateCommand.builder(yargs(hideBin(process.argv))).strict().parseAsync();
process.exitCode = await remediateCommand.run(args, {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: false,
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
});
