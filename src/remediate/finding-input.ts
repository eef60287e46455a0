// Picks the finding to remediate from a report file, by fingerprint or by index.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseReport, type ParsedReport, type ReportedFinding } from '../report/parse.js';

/** The finding whose fingerprint is `ref`, or whose index is `ref` when `ref` is a number. Throws a clear Error otherwise. */
export function selectFinding(report: ParsedReport, ref: string, file: string): ReportedFinding {
  const byFingerprint = report.findings.find((f) => f.fingerprint === ref);
  if (byFingerprint) return byFingerprint;
  if (/^\d+$/.test(ref)) {
    const index = Number(ref);
    const byIndex = report.findings.find((f) => f.index === index);
    if (byIndex) return byIndex;
    throw new Error(`${file}: no finding with index ${index} (the report has ${report.findings.length})`);
  }
  throw new Error(`${file}: no finding with fingerprint ${ref}`);
}

/** A finding read from a report, with the root its path is relative to. */
export interface FindingInput {
  finding: ReportedFinding;
  /** The report's scan root when it exists on this machine, else the report's folder (a CI artifact). */
  root: string;
  /** The report path as given. */
  reportFile: string;
}

/** Reads `reportFile` (relative to `cwd`) and picks finding `ref`; throws an Error naming the file otherwise. */
export async function readFindingInput(reportFile: string, ref: string, cwd: string): Promise<FindingInput> {
  const path = resolve(cwd, reportFile);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${reportFile}: cannot read the report (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const report = parseReport(text, reportFile);
  const finding = selectFinding(report, ref, reportFile);
  const root = report.root && existsSync(report.root) ? report.root : dirname(path);
  return { finding, root, reportFile };
}
