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
  const steps = action['runs']['steps'] as Record<string, any>[];
  const scan = steps.find((step) => step['id'] === 'scan')!;

  it('is a composite action passing every input to main.js as INPUT_*', () => {
    expect(action['runs']['using']).toBe('composite');
    expect(scan['run']).toBe('node "$GITHUB_ACTION_PATH/dist/action/main.js"');
    const inputs = Object.keys(action['inputs'] as object);
    expect(inputs).toEqual(['mode', 'config', 'baseline', 'fail-on', 'min-confidence', 'sarif-file', 'upload-sarif']);
    for (const name of inputs) {
      expect(scan['env'][`INPUT_${name.toUpperCase().replace(/-/g, '_')}`]).toBe(`\${{ inputs.${name} }}`);
    }
  });

  it('has defaults that readInputs accepts', () => {
    const env = Object.fromEntries(Object.entries(action['inputs'] as Record<string, { default: string }>).map(([name, spec]) => [`INPUT_${name.toUpperCase()}`, spec.default]));
    expect(readInputs(env)).toEqual({ mode: 'auto', failOn: 'any', minConfidence: 'medium', uploadSarif: false });
  });

  it('caches node_modules on the lock file, OS and node version, and uploads SARIF even after a failing scan', () => {
    const key = steps.find((step) => step['id'] === 'key')!['run'] as string;
    expect(key).toMatch(/package-lock\.json/);
    expect(key).toMatch(/RUNNER_OS/);
    expect(key).toMatch(/node --version/);
    const upload = steps.find((step) => String(step['uses']).startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload['if']).toMatch(/^always\(\) && inputs\.upload-sarif == 'true'/);
    expect(action['outputs']).toEqual({
      findings: { description: 'Number of findings.', value: '${{ steps.scan.outputs.findings }}' },
      'sarif-file': { description: 'Absolute path of the SARIF report.', value: '${{ steps.scan.outputs.sarif-file }}' },
    });
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
