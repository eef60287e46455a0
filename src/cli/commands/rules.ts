// `spillway rules check [--config FILE]`: every rule's examples and counterexamples, built-in and the user's own.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { loadConfig } from '../../config/load.js';
import { checkRules } from '../../scan/rule-check.js';
import type { CliIO, ExitCode, SpillwayCommand } from '../command.js';

interface Args {
  action: 'check';
  config?: string;
}

export const rulesCommand: SpillwayCommand<Args> = {
  command: 'rules <action>',
  describe: "Check the rules: each must find all of its examples and none of its counterexamples",
  builder: (y: Argv) =>
    y
      .positional('action', { choices: ['check'] as const, describe: 'check: run every rule against its examples and counterexamples' })
      .option('config', { alias: 'c', type: 'string', describe: 'Rule file (spillway or gitleaks TOML); default .spillway.toml or .gitleaks.toml in the current directory' })
      .epilogue('Exit codes: 0 every rule passes, 1 a rule misses an example or finds a counterexample, 2 the configuration has errors.') as unknown as Argv<Args>,
  run: async (args: Args, io: CliIO): Promise<ExitCode> => {
    const config = await loadConfig({ root: io.cwd, ...(args.config ? { configPath: resolve(io.cwd, args.config) } : {}), checkUserRules: false });
    for (const p of config.problems) io.stderr(`spillway rules check: ${p.level === 'error' ? 'config error' : 'config warning'}: ${p.message}\n`);
    if (config.problems.some((p) => p.level === 'error')) return 2;
    const results = checkRules(config);
    const failures = results.filter((r) => r.level === 'error');
    for (const r of results) io.stdout(`${r.level === 'error' ? 'FAIL' : 'warn'} ${r.message}${r.source ? ` (${r.source})` : ''}\n`);
    const examples = config.rules.reduce((n, r) => n + r.examples.length + r.counterexamples.length, 0);
    const failed = new Set(failures.map((f) => f.ruleId)).size;
    const from = config.files.length > 0 ? `, config ${config.files.join(', ')}` : '';
    io.stdout(
      failures.length === 0
        ? `ok: ${config.rules.length} rules, ${examples} examples and counterexamples${from}\n`
        : `${failures.length} failure(s) in ${failed} of ${config.rules.length} rules${from}\n`,
    );
    return failures.length === 0 ? 0 : 1;
  },
};
