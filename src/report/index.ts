// The reporters by name: what `--format` chooses from.
import type { Reporter } from '../types.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

/** Every report format, name -> pure reporter. */
export const reporters = {
  sarif: renderSarif,
  json: renderJson,
  text: renderText,
} as const satisfies Record<string, Reporter>;

/** A `--format` name. */
export type ReportFormat = keyof typeof reporters;

/** The format names, for `--format` choices. */
export const REPORT_FORMATS = Object.keys(reporters) as ReportFormat[];

/** Whether `name` is a known report format. */
export function isReportFormat(name: string): name is ReportFormat {
  return Object.hasOwn(reporters, name);
}
