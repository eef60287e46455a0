// --verify and --only-verified for every scanning command: check secrets with their providers, filter if asked.
import type { Finding, ScanNote } from '../types.js';
import { verifyFindings } from '../verify/verify-findings.js';
import type { CliIO } from './command.js';
import type { OutputArgs } from './output.js';

/** The findings unchanged without --verify; else with `validation` set (only the active ones with --only-verified). */
export async function verifyIfAsked(
  findings: Finding[],
  args: Pick<OutputArgs, 'verify' | 'onlyVerified' | 'allowInternal'>,
  io: CliIO,
): Promise<{ findings: Finding[]; notes: ScanNote[] }> {
  if (!args.verify && !args.onlyVerified) return { findings, notes: [] };
  const result = await verifyFindings(findings, { allowInternal: args.allowInternal, env: io.env });
  const kept = args.onlyVerified ? result.findings.filter((f) => f.validation === 'verified-active') : result.findings;
  return { findings: kept, notes: result.notes };
}
