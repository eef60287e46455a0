// The action end to end: inputs and event -> runScan in this process -> job summary, annotations, SARIF, outputs, exit code.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ExitCode } from '../cli/command.js';
import { escapeCommandData, markdownCell, renderAnnotations, renderJobSummary } from '../report/github.js';
import { reporters } from '../report/index.js';
import { failsOn } from '../scan/fail-on.js';
import { runScan } from '../scan/run-scan.js';
import { ScanSetupError } from '../scan/setup.js';
import type { ConfigProblem, ReportContext } from '../types.js';
import { VERSION } from '../version.js';
import { planScan } from './event.js';
import { getInput, readInputs, type ActionInputs } from './inputs.js';
import { writeOutputs } from './outputs.js';
import { resolvePlan } from './resolve-plan.js';
import { assertHistoryAvailable } from './shallow.js';
import { uploadSarif } from './upload-sarif.js';

/** What the action may use of the outside world; main.ts passes the real process, tests their own. */
export interface ActionIO {
  env: Record<string, string | undefined>;
  /** Workflow commands and log lines (the runner reads stdout). */
  stdout(text: string): void;
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

/** `::error title=spillway::message` (or warning). */
function command(level: 'error' | 'warning', message: string): string {
  return `::${level} title=spillway::${escapeCommandData(message)}\n`;
}

function printProblems(io: ActionIO, problems: readonly ConfigProblem[]): void {
  for (const p of problems) io.stdout(command(p.level, `config ${p.level}: ${p.message}`));
}

/** The summary's scope line, under the heading renderJobSummary writes. */
function withScope(markdown: string, scope: string): string {
  const [heading, ...rest] = markdown.split('\n');
  return [heading, '', `Scanned: ${markdownCell(scope)}.`, ...rest].join('\n');
}

async function scan(io: ActionIO, inputs: ActionInputs): Promise<ExitCode> {
  const workspace = resolve(required(io.env, 'GITHUB_WORKSPACE'));
  const plan = planScan(inputs.mode, io.env['GITHUB_EVENT_NAME'] ?? '', await readEvent(io.env));
  const resolved = await resolvePlan(workspace, plan);
  await assertHistoryAvailable(workspace, resolved);
  io.stdout(`spillway: ${resolved.description}\n`);
  if (!resolved.target) {
    await appendSummary(io.env, `### spillway: nothing to scan\n\nScanned: ${markdownCell(resolved.description)}.\n`);
    await publish(io, 0, '');
    return 0;
  }
  let result;
  try {
    result = await runScan({
      target: resolved.target,
      root: workspace,
      env: io.env,
      minConfidence: inputs.minConfidence,
      ...(inputs.config ? { configPath: resolve(workspace, inputs.config) } : {}),
      ...(inputs.baseline ? { baselinePath: resolve(workspace, inputs.baseline) } : {}),
    });
  } catch (error) {
    if (!(error instanceof ScanSetupError)) throw error;
    printProblems(io, error.problems);
    io.stdout(command('error', error.message));
    return 2;
  }
  printProblems(io, result.problems);
  const ctx: ReportContext = { rules: result.rules, info: result.info, notes: result.notes, toolVersion: VERSION, showSecrets: false };
  for (const note of result.notes) if (note.level === 'info') io.stdout(`spillway: ${note.input}: ${note.message}\n`);
  io.stdout(renderAnnotations(result.findings, ctx));
  const sarifFile = inputs.sarifFile ? resolve(workspace, inputs.sarifFile) : join(io.env['RUNNER_TEMP'] || tmpdir(), `spillway-${randomUUID()}.sarif`);
  await mkdir(dirname(sarifFile), { recursive: true });
  await writeFile(sarifFile, reporters.sarif(result.findings, ctx), { mode: 0o600 });
  await appendSummary(io.env, withScope(renderJobSummary(result.findings, ctx), resolved.description));
  await publish(io, result.findings.length, sarifFile);
  if (inputs.uploadSarif) io.stdout(`spillway: SARIF uploaded to code scanning (id ${await uploadSarif(io.env, sarifFile, getInput(io.env, 'token'))})\n`);
  const failed = failsOn(inputs.failOn, result.findings);
  if (failed) io.stdout(command('error', `${result.findings.length} secret(s) found (fail-on: ${inputs.failOn})`));
  return failed ? 1 : 0;
}

/** Runs the action; every error becomes an `::error::` line and exit code 2. */
export async function runAction(io: ActionIO): Promise<ExitCode> {
  try {
    return await scan(io, readInputs(io.env));
  } catch (error) {
    io.stdout(command('error', (error as Error).message));
    return 2;
  }
}
