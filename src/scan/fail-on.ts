// The failure policy shared by the CLI's --fail-on and the Action's fail-on input: which findings fail a run.
import type { Finding } from '../types.js';

/** `any`: every finding fails; `high`: only high or critical ones; `none`: findings never fail. */
export type FailOn = 'any' | 'high' | 'none';

export const FAIL_ON: readonly FailOn[] = ['any', 'high', 'none'];

/** Whether the findings fail the run under `failOn`. */
export function failsOn(failOn: FailOn, findings: readonly Finding[]): boolean {
  if (failOn === 'none') return false;
  if (failOn === 'high') return findings.some((f) => f.severity === 'critical' || f.severity === 'high');
  return findings.length > 0;
}
