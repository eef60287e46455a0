// The action end to end: inputs and event -> a spillway CLI run -> job summary, annotations, outputs, exit code.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ExitCode } from '../cli/command.js';
import { spawnCli } from '../cli/spawn-cli.js';
import { renderAnnotations, workflowCommand } from './annotations.js';
import { planScan } from './event.js';
import { readInputs, type ActionInputs } from './inputs.js';
import { writeOutputs } from './outputs.js';
import { resolvePlan } from './resolve-plan.js';
import { findingRows, type FindingRow } from './sarif-findings.js';
import { renderSummary } from './summary.js';

/** What the action may use of the outside world; main.ts passes the real process, tests their own. */
export interface ActionIO {
  env: Record<string, string | undefined>;
  /** Workflow commands and log lines (the runner reads stdout). */
  stdout(text: string): void;
}

/** Whether the findings fail the step under `fail-on`. */
export function failsOn(failOn: ActionInputs['failOn'], rows: FindingRow[]): boolean {
  if (failOn === 'none') return false;
  if (failOn === 'high') return rows.some((row) => row.severity === 'critical' || row.severity === 'high');
  return rows.length > 0;
}

function required(env: ActionIO['env'], name: string): string {
  const value = env[name];
  if (!value) throw new TypeError(`${name} is not set: run spillway's action inside a GitHub Actions job`);
  return value;
}

async function readEvent(env: ActionIO['env']): Promise<unknown> {
  const file = env['GITHUB_EVENT_PATH'];
  if (!file) return {};
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    throw new TypeError(`GITHUB_EVENT_PATH ${file}: cannot read the event payload (${(error as Error).message})`);
  }
}

async function appendSummary(env: ActionIO['env'], markdown: string): Promise<void> {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (file) await appendFile(file, markdown, 'utf8');
}

async function publish(io: ActionIO, findings: number, sarifFile: string): Promise<void> {
  const file = io.env['GITHUB_OUTPUT'];
  if (file) await writeOutputs(file, { findings: String(findings), 'sarif-file': sarifFile });
}

async function scan(io: ActionIO, inputs: ActionInputs): Promise<ExitCode> {
  const workspace = resolve(required(io.env, 'GITHUB_WORKSPACE'));
  const plan = planScan(inputs.mode, io.env['GITHUB_EVENT_NAME'] ?? '', await readEvent(io.env));
  const resolved = await resolvePlan(workspace, plan);
  io.stdout(`spillway: ${resolved.description}\n`);
  if (resolved.skip) {
    await appendSummary(io.env, renderSummary([], resolved.description));
    await publish(io, 0, '');
    return 0;
  }
  const sarifFile = inputs.sarifFile
    ? resolve(workspace, inputs.sarifFile)
    : join(io.env['RUNNER_TEMP'] || tmpdir(), `spillway-${randomUUID()}.sarif`);
  await mkdir(dirname(sarifFile), { recursive: true });
  const args = [...resolved.args, '--format', 'sarif', '--output', sarifFile, '--min-confidence', inputs.minConfidence];
  if (inputs.config) args.push('--config', resolve(workspace, inputs.config));
  if (inputs.baseline) args.push('--baseline', resolve(workspace, inputs.baseline));
  const run = await spawnCli(args, {
    cwd: workspace,
    env: io.env,
    onStderr: (text) => io.stdout(text),
  });
  if (run.code !== 0 && run.code !== 1) {
    io.stdout(`${workflowCommand('error', [['title', 'spillway']], `the scan failed (exit code ${run.code}); see the log above`)}\n`);
    return 2;
  }
  const rows = findingRows(await readFile(sarifFile, 'utf8'), sarifFile);
  for (const line of renderAnnotations(rows)) io.stdout(`${line}\n`);
  await appendSummary(io.env, renderSummary(rows, resolved.description));
  await publish(io, rows.length, sarifFile);
  const failed = failsOn(inputs.failOn, rows);
  if (failed) io.stdout(`${workflowCommand('error', [['title', 'spillway']], `${rows.length} secret(s) found (fail-on: ${inputs.failOn})`)}\n`);
  return failed ? 1 : 0;
}

/** Runs the action; every error becomes an `::error::` line and exit code 2. */
export async function runAction(io: ActionIO): Promise<ExitCode> {
  try {
    return await scan(io, readInputs(io.env));
  } catch (error) {
    io.stdout(`${workflowCommand('error', [['title', 'spillway']], (error as Error).message)}\n`);
    return 2;
  }
}
