// CI logs (GitHub Actions, GitLab CI): timestamps, ANSI codes and log markers stripped, one chunk per step.
import type { Chunk, Provenance } from '../types.js';
import { NOTES } from './infra/notes.js';

const TIMESTAMP = /^\uFEFF?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z (?:\d{2}[OE]\+? )?/;
const ANSI = /\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
const GITLAB_SECTION = /section_(?:start|end):\d+:[A-Za-z0-9_.:-]*(?:\[[^\]]*\])?/g;
const GITHUB_MARKER = /^##\[(?:group|endgroup|command|debug|warning|error|notice|section)\]/;
const STEP_START = /^##\[group\]Run (.*)$/;

/**
 * One log line as the program printed it: no timestamp, no ANSI codes, no GitLab section markers or carriage
 * returns, no GitHub `##[...]` marker. Lines are never joined or split, so line numbers stay those of the file.
 */
export function cleanLogLine(line: string): string {
  return line.replace(TIMESTAMP, '').replace(ANSI, '').replace(GITLAB_SECTION, '').replace(/\r/g, '').replace(GITHUB_MARKER, '');
}

/** True when the text looks like a CI log: timestamped lines, or GitHub/GitLab log markers. */
export function looksLikeCiLog(path: string, text: string): boolean {
  const lines = firstLines(text.slice(0, 20_000), 50);
  if (lines.length === 0) return false;
  const stamped = lines.filter((line) => TIMESTAMP.test(line)).length;
  if (stamped / lines.length >= 0.8) return true;
  return /\.(log|txt)$/i.test(path) && lines.some((line) => /##\[(?:group|endgroup)\]|section_start:\d+:/.test(line));
}

/** The first `max` non-blank lines of `text` (split at `\n`), without splitting all of it. */
function firstLines(text: string, max: number): string[] {
  const lines: string[] = [];
  for (let start = 0; lines.length < max && start <= text.length; ) {
    const next = text.indexOf('\n', start);
    const end = next === -1 ? text.length : next;
    const line = text.slice(start, end);
    if (line.trim() !== '') lines.push(line);
    start = end + 1;
  }
  return lines;
}

/**
 * Chunks for a log: one per GitHub step (a `##[group]Run ...` line opens a step) unless `provenance` already
 * names the step. Masked values (`***`) are left as they are: the detector's placeholder filter drops them.
 */
export function ciLogChunks(text: string, provenance: Provenance): Chunk[] {
  const raw = text.split('\n');
  const knowsStep = provenance.kind === 'ci-log' && provenance.step !== undefined;
  const chunks: Chunk[] = [];
  let start = 0;
  let step: string | undefined;
  let lines: string[] = [];
  const flush = (end: number): void => {
    if (lines.some((line) => line.trim() !== '')) {
      const withStep: Provenance = provenance.kind === 'ci-log' && step && !knowsStep ? { ...provenance, step } : provenance;
      chunks.push({ text: lines.join('\n'), provenance: withStep, startLine: start + 1, place: 'ci-log', note: NOTES.ciLog });
    }
    start = end;
    lines = [];
  };
  raw.forEach((line, i) => {
    const stripped = line.replace(TIMESTAMP, '').replace(ANSI, '').replace(/\r/g, '');
    const opens = knowsStep ? null : STEP_START.exec(stripped);
    if (opens) {
      flush(i);
      step = opens[1]!.trim();
    }
    lines.push(cleanLogLine(line));
  });
  flush(raw.length);
  return chunks;
}
