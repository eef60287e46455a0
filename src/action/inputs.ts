// The action's inputs, read from the `INPUT_*` environment the runner (or our composite step) provides.
import { FAIL_ON, type FailOn } from '../scan/fail-on.js';

export type { FailOn };

export type ActionMode = 'auto' | 'diff' | 'history' | 'files';
export type MinConfidence = 'low' | 'medium' | 'high';

/** Validated inputs of the spillway action. */
export interface ActionInputs {
  mode: ActionMode;
  /** Path of a config file (relative to the workspace), or undefined for the repository's own. */
  config?: string;
  /** Path of an earlier JSON/SARIF report whose findings are not reported again. */
  baseline?: string;
  failOn: FailOn;
  /** Passed on as --min-confidence (default medium: a pull request check stays quiet about weak candidates). */
  minConfidence: MinConfidence;
  /** Where to write the SARIF log (relative to the workspace); undefined means a temporary file. */
  sarifFile?: string;
  uploadSarif: boolean;
}

const MODES: readonly ActionMode[] = ['auto', 'diff', 'history', 'files'];
const MIN_CONFIDENCE: readonly MinConfidence[] = ['low', 'medium', 'high'];

/**
 * The value of input `name` as GitHub passes it to actions: `INPUT_` + the name upper-cased with spaces
 * as `_` (hyphens kept). Composite steps cannot always export hyphenated names, so `_` for `-` is read too.
 */
export function getInput(env: Record<string, string | undefined>, name: string): string {
  const key = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
  const value = env[key] ?? env[key.replace(/-/g, '_')] ?? '';
  return value.trim();
}

function oneOf<T extends string>(env: Record<string, string | undefined>, name: string, allowed: readonly T[], fallback: T): T {
  const value = getInput(env, name) || fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new TypeError(`Input \`${name}\` must be one of ${allowed.join(', ')}; got "${value}"`);
  }
  return value as T;
}

function bool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const value = getInput(env, name);
  if (value === '') return fallback;
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new TypeError(`Input \`${name}\` must be true or false (YAML 1.2 core schema); got "${value}"`);
}

/** Reads and validates every input; a bad value throws a TypeError naming the input. */
export function readInputs(env: Record<string, string | undefined>): ActionInputs {
  const inputs: ActionInputs = {
    mode: oneOf(env, 'mode', MODES, 'auto'),
    failOn: oneOf(env, 'fail-on', FAIL_ON, 'any'),
    minConfidence: oneOf(env, 'min-confidence', MIN_CONFIDENCE, 'medium'),
    uploadSarif: bool(env, 'upload-sarif', false),
  };
  const config = getInput(env, 'config');
  const baseline = getInput(env, 'baseline');
  const sarifFile = getInput(env, 'sarif-file');
  if (config) inputs.config = config;
  if (baseline) inputs.baseline = baseline;
  if (sarifFile) inputs.sarifFile = sarifFile;
  return inputs;
}
