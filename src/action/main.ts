// Entry point of the GitHub Action (node dist/action/main.js): the only action file that touches process.
import { runAction } from './run.js';

process.exitCode = await runAction({ env: process.env, stdout: (text) => process.stdout.write(text) });
