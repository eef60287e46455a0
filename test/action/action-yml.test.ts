// action.yml and the org-audit workflow agree with the code: every input reaches main.js, every flag exists.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInputs } from '../../src/action/inputs.js';
import { auditCommand } from '../../src/cli/commands/audit.js';
import { runCommand } from '../helpers/run-command.js';

const read = (path: string): Record<string, any> => parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as Record<string, any>;

describe('action.yml', () => {
  const action = read('action.yml');

  it('is a JavaScript action on the runner\'s Node 24: no setup-node, no install or build step, no other action', () => {
    expect(action['runs']).toEqual({ using: 'node24', main: 'dist/action/main.js' });
    expect(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')).not.toMatch(/setup-node|npm ci|tsc|action_path|codeql-action\/upload-sarif@v3/);
  });

  it('declares the inputs readInputs reads, with defaults it accepts', () => {
    const inputs = action['inputs'] as Record<string, { default: string }>;
    expect(Object.keys(inputs)).toEqual(['mode', 'config', 'baseline', 'fail-on', 'min-confidence', 'sarif-file', 'upload-sarif', 'token']);
    expect(inputs['token']!.default).toBe('${{ github.token }}');
    // The runner passes input `fail-on` as INPUT_FAIL-ON: upper-cased, hyphen kept.
    const env = Object.fromEntries(Object.entries(inputs).map(([name, spec]) => [`INPUT_${name.toUpperCase()}`, spec.default]));
    expect(readInputs(env)).toEqual({ mode: 'auto', failOn: 'any', minConfidence: 'medium', uploadSarif: false });
    expect(Object.keys(action['outputs'] as object)).toEqual(['findings', 'sarif-file']);
  });
});

describe('.github/workflows/org-audit.yml', () => {
  const workflow = read('.github/workflows/org-audit.yml');

  it('is a reusable workflow with org and shards inputs and plan, audit, merge jobs', () => {
    expect(Object.keys(workflow['on']['workflow_call']['inputs'])).toEqual(expect.arrayContaining(['org', 'shards']));
    expect(Object.keys(workflow['jobs'])).toEqual(['plan', 'audit', 'merge']);
    expect(workflow['jobs']['audit']['strategy']['matrix']).toBe('${{ fromJSON(needs.plan.outputs.matrix) }}');
  });

  it('only uses audit flags the command accepts', async () => {
    const runs = Object.values(workflow['jobs'] as Record<string, { steps: { run?: string }[] }>).flatMap((job) => job.steps.map((step) => step.run ?? ''));
    const commands = runs.join('\n').replace(/\\\n\s*/g, ' ').split('\n').filter((line) => line.includes('bin.js audit'));
    const flags = new Set(commands.join(' ').match(/--[a-z-]+/g));
    expect([...flags].sort()).toEqual(['--concurrency', '--emit-matrix', '--org', '--output', '--repos', '--shards']);
    const help = await runCommand(auditCommand, ['audit', '--help'], {}, '/');
    for (const flag of flags) expect(help.stdout + help.stderr).toContain(flag);
  });
});
