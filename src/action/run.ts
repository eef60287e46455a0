// The action end to end: inputs and event -> runScan in this process -> job summary, annotations, SARIF, outputs, exit code.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ExitCode } from '../cli/command.js';
import { logLine, workflowCommand } from '../report/escape.js';
import { markdownCell, renderAnnotations, renderJobSummary } from '../report/github.js';
import { reporters } from '../report/index.js';
import { isInside, writeFileSafely } from '../safe-fs.js';
import { failsOn } from '../scan/fail-on.js';
import { runScan } from '../scan/run-scan.js';
import { ScanSetupError } from '../scan/setup.js';
import type { ConfigProblem, ReportContext } from '../types.js';
import { VERSION } from '../version.js';
import { planScan, pullRequestCommits } from './event.js';
import { getInput, readInputs, type ActionInputs } from './inputs.js';
import { baseControls } from './pr-base-files.js';
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
  return `${workflowCommand(level, [['title', 'spillway']], message)}\n`;
}

function printProblems(io: ActionIO, problems: readonly ConfigProblem[]): void {
  for (const p of problems) io.stdout(command(p.level, `config ${p.level}: ${p.message}`));
}

/** The base commit's config, ignore files and baseline for a pull request, with a warning per control file it changes. */
async function pullRequestControls(io: ActionIO, workspace: string, pr: { base: string; head: string }, inputs: ActionInputs) {
  const dir = join(io.env['RUNNER_TEMP'] || tmpdir(), `spillway-base-${randomUUID()}`);
  const controls = await baseControls(workspace, pr.base, pr.head, inputs, dir);
  io.stdout(`spillway: pull request: config, ignore files and baseline are read from the base commit ${pr.base.slice(0, 7)}, not from the pull request\n`);
  for (const warning of controls.warnings) io.stdout(command('warning', warning));
  for (const path of controls.changed) {
    const message = `${path} is changed by this pull request: not used for its own scan (the base commit's version is); it applies once merged`;
    io.stdout(`${workflowCommand('warning', [['file', path], ['title', 'spillway: control file changed']], message)}\n`);
  }
  return controls;
}

/** The summary's scope line, under the heading renderJobSummary writes. */
function withScope(markdown: string, scope: string): string {
  const [heading, ...rest] = markdown.split('\n');
  return [heading, '', `Scanned: ${markdownCell(scope)}.`, ...rest].join('\n');
}

async function scan(io: ActionIO, inputs: ActionInputs): Promise<ExitCode> {
  const workspace = resolve(required(io.env, 'GITHUB_WORKSPACE'));
  const payload = await readEvent(io.env);
  const plan = planScan(inputs.mode, io.env['GITHUB_EVENT_NAME'] ?? '', payload);
  const pr = pullRequestCommits(io.env['GITHUB_EVENT_NAME'] ?? '', payload);
  const resolved = await resolvePlan(workspace, plan);
  await assertHistoryAvailable(workspace, resolved);
  io.stdout(logLine(`spillway: ${resolved.description}`));
  if (!resolved.target) {
    await appendSummary(io.env, `### spillway: nothing to scan\n\nScanned: ${markdownCell(resolved.description)}.\n`);
    await publish(io, 0, '');
    return 0;
  }
  const controls = pr ? await pullRequestControls(io, workspace, pr, inputs) : undefined;
  let result;
  try {
    result = await runScan({
      target: resolved.target,
      root: workspace,
      env: io.env,
      minConfidence: inputs.minConfidence,
      ...(controls
        ? { ...(controls.configPath ? { configPath: controls.configPath } : {}), ignoreFilePath: controls.ignoreFilePath, ...(controls.baselinePath ? { baselinePath: controls.baselinePath } : {}) }
        : { ...(inputs.config ? { configPath: resolve(workspace, inputs.config) } : {}), ...(inputs.baseline ? { baselinePath: resolve(workspace, inputs.baseline) } : {}) }),
    });
  } catch (error) {
    if (!(error instanceof ScanSetupError)) throw error;
    printProblems(io, error.problems);
    io.stdout(command('error', error.message));
    return 2;
  } finally {
    if (controls) await rm(controls.dir, { recursive: true, force: true });
  }
  printProblems(io, result.problems);
  const ctx: ReportContext = { rules: result.rules, info: result.info, notes: result.notes, toolVersion: VERSION, showSecrets: false };
  for (const note of result.notes) if (note.level === 'info') io.stdout(logLine(`spillway: ${note.input}: ${note.message}`));
  io.stdout(renderAnnotations(result.findings, ctx));
  const sarifFile = inputs.sarifFile ? resolve(workspace, inputs.sarifFile) : join(io.env['RUNNER_TEMP'] || tmpdir(), `spillway-${randomUUID()}.sarif`);
  await mkdir(dirname(sarifFile), { recursive: true });
  // A sarif-file is relative to the workspace (which the pull request controls) and stays in it, or an absolute path
  // in the runner's temporary folder: never through a symlink, never out of the folder it names.
  const temp = io.env['RUNNER_TEMP'];
  const inTemp = inputs.sarifFile !== undefined && isAbsolute(inputs.sarifFile) && temp !== undefined && temp !== '' && isInside(resolve(temp), sarifFile);
  const within = inTemp ? resolve(temp) : workspace;
  await writeFileSafely(sarifFile, reporters.sarif(result.findings, ctx), inputs.sarifFile ? { within } : {});
  await appendSummary(io.env, withScope(renderJobSummary(result.findings, ctx), resolved.description));
  await publish(io, result.findings.length, sarifFile);
  if (inputs.uploadSarif) io.stdout(logLine(`spillway: SARIF uploaded to code scanning (id ${await uploadSarif(io.env, sarifFile, getInput(io.env, 'token'))})`));
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
