// Untrusted text (file names, authors, scanned content, server answers) escaped for where people read it, one
// function per medium: the terminal, markdown (issue bodies, job summaries) and GitHub workflow commands.

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_OR_BREAK = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\t') return '\\t';
  if (ch === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * Terminal: control characters (C0, DEL, C1: ANSI escapes), bidirectional overrides and line separators become
 * visible escapes (`\x1b`, `\u{202e}`, `\n`). With `multiline`, line feeds and tabs are kept.
 */
export function terminal(text: string, multiline = false): string {
  return text.replace(multiline ? CONTROL : CONTROL_OR_BREAK, visible);
}

/**
 * Markdown inline text on one line: line breaks and controls become spaces (no heading, list or table row can
 * start), markdown punctuation is backslash-escaped (no emphasis, link, image, raw HTML, entity or table pipe),
 * `@` gets a zero-width space (no mention notifies anyone) and `://` / `www.` are broken (no bare autolink).
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_[\]#!|~<>&]/g, (ch) => `\\${ch}`)
    .replace(/:(?=\/)/g, '\\:')
    .replace(/(w)(?=ww\.)/gi, '$1\\')
    .replace(/@/g, '@&#8203;')
    .trim();
}

/**
 * A markdown code span holding `text` verbatim on one line: the fence is longer than any run of backticks in it;
 * `inTable` also escapes `|`, which GitHub would take as a cell boundary even inside a code span.
 */
export function markdownCode(text: string, inTable = false): string {
  const flat = text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, ' ');
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Plain text on one line (an issue title, which GitHub does not render): controls and line breaks become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g, ' ').trim();
}

/** How prose that mixes our words with untrusted names is written for one medium. */
export interface Medium {
  /** Untrusted text in running prose. */
  text(text: string): string;
  /** Untrusted text shown as code (a path, a command). */
  code(text: string): string;
}

/** Markdown prose: names escaped, code in code spans. */
export const markdownMedium: Medium = { text: markdownText, code: (text) => markdownCode(text) };

/** Terminal prose: names with their control characters made visible, code in backticks. */
export const terminalMedium: Medium = { text: (text) => terminal(text), code: (text) => `\`${terminal(text)}\`` };

/** GitHub's escaping of a workflow command's message: `%`, CR and LF (so no text can start a command line). */
export function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping of a workflow command's property value: as data, plus `:` and `,`. */
export function commandProperty(text: string): string {
  return commandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line, `::name key=value,...::message`, every property and the message escaped. */
export function workflowCommand(name: string, properties: [string, string | number | undefined][], message: string): string {
  const props = properties
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([key, value]) => `${key}=${commandProperty(String(value))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${commandData(message)}`;
}

/** A plain line in a workflow log: escaped for the terminal, so no untrusted text starts a line of its own. */
export function logLine(text: string): string {
  return `${terminal(text)}\n`;
}
