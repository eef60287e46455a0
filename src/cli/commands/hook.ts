// `spillway hook install|uninstall`: the pre-commit hook that runs `spillway scan --staged`.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { SpillwayCommand } from '../command.js';
import { defaultBinPath, hooksDir, installHook, uninstallHook } from '../hook-install.js';
import { installSharedHook, sharedHookFile, uninstallSharedHook } from '../shared-hook.js';

export interface HookArgs {
  action: 'install' | 'uninstall';
  repo?: string;
}

/** The `hook` command. */
export const hookCommand: SpillwayCommand<HookArgs> = {
  command: 'hook <action>',
  describe: 'Install or remove the pre-commit hook (honours core.hooksPath; chains an existing hook; a hook kept in the repository, as husky\'s, gets one portable line)',
  builder: (y: Argv) =>
    y
      .positional('action', { choices: ['install', 'uninstall'] as const, demandOption: true, describe: 'install or uninstall' })
      .option('repo', { type: 'string', describe: 'Repository (default: the current folder)' }) as unknown as Argv<HookArgs>,
  async run(args, io) {
    try {
      const repo = resolve(io.cwd, args.repo ?? '.');
      const dir = await hooksDir(repo, io.env);
      const shared = await sharedHookFile(repo, dir);
      const install = args.action === 'install';
      const result = shared
        ? await (install ? installSharedHook(shared) : uninstallSharedHook(shared))
        : await (install ? installHook(dir, defaultBinPath()) : uninstallHook(dir));
      io.stderr(`${result.message}\n`);
      return 0;
    } catch (err) {
      io.stderr(`spillway hook ${args.action}: ${(err as Error).message}\n`);
      return 2;
    }
  },
};
