// SOPS files (YAML, JSON, .env, INI): the metadata block is never scanned; values sops would encrypt but are plain are.
import RE2 from 're2';
import { isMap, isScalar, isSeq } from './infra/yaml-lib.js';
import type { Node, Pair } from 'yaml';
import type { Chunk, ScanNote } from '../types.js';
import { blankRanges, isSopsValue, maskCiphertext } from './infra/ciphertext.js';
import { NOTES } from './infra/notes.js';
import { child, lineSpan, mapPairs, pairOf, parseYamlStream, scalarText } from './infra/yaml-doc.js';
import type { YamlStream } from './infra/yaml-doc.js';

/** The place of a value that a SOPS file should hold encrypted but holds in plain text. */
export const SOPS_UNENCRYPTED_PLACE = 'sops.unencrypted';

/** A SOPS file seen through its format: the text without its metadata, and chunks for its plain values. */
export interface SopsView {
  /** The file's text with the `sops` metadata and the plain values found blanked (same lines and columns). */
  text: string;
  /** One chunk per plain value that sops would have encrypted, placed `sops.unencrypted`. */
  chunks: Chunk[];
  notes: ScanNote[];
}

/** Which keys sops encrypts, from the metadata (`unencrypted_suffix`, `encrypted_regex`...). */
interface KeyRules {
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: RE2;
  encryptedRegex?: RE2;
}

type Form = 'yaml' | 'json' | 'dotenv' | 'ini';
type Range = [number, number];

/** Kubernetes manifests are conventionally encrypted with `encrypted_regex: ^(data|stringData)$`. */
const K8S_RULES: KeyRules = { encryptedRegex: new RE2('^(data|stringData)$') };
const METADATA_KEYS = ['mac', 'version', 'lastmodified'];

/**
 * The SOPS view of a file, or undefined when it is not a SOPS file. A SOPS file has sops metadata (a top-level
 * `sops` block, `sops_*` lines in .env, a `[sops]` section in INI) or a SOPS name (`*.sops.yaml`, `*.enc.json`...;
 * `.sops.yaml` itself is the sops configuration, not a SOPS file).
 */
export function sopsView(path: string, text: string): SopsView | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const form = formOf(name);
  if (!form) return undefined;
  const named = /^.+\.(?:sops|enc)\.(?:ya?ml|json|env|ini)$/i.test(name);
  const view = new View(path, text);
  switch (form) {
    case 'yaml':
    case 'json':
      if (!named && !/^\s*"?sops"?\s*:|"sops"\s*:\s*\{/m.test(text)) return undefined;
      return tree(view, named) ? view.result() : undefined;
    case 'dotenv':
      return flat(view, named, /^sops_/, () => undefined) ? view.result() : undefined;
    case 'ini':
      return ini(view, named) ? view.result() : undefined;
  }
}

function formOf(name: string): Form | undefined {
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/\.json$/i.test(name)) return 'json';
  if (/\.ini$/i.test(name)) return 'ini';
  if (/^\.env(?:\..+)?$|\.env$/i.test(name)) return 'dotenv';
  return undefined;
}

/** Collects what to blank and what to yield while a form is walked. */
class View {
  readonly lines: string[];
  readonly lineStarts: number[] = [];
  readonly blanks: Range[] = [];
  readonly values: { first: number; last: number; range: Range }[] = [];
  readonly notes: ScanNote[] = [];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lines = text.split('\n');
    let offset = 0;
    for (const line of this.lines) {
      this.lineStarts.push(offset);
      offset += line.length + 1;
    }
  }

  /** Blanks 1-based lines first..last (metadata). */
  blankLines(first: number, last: number): void {
    this.blanks.push([this.lineStarts[first - 1] ?? 0, (this.lineStarts[last - 1] ?? 0) + (this.lines[last - 1]?.length ?? 0)]);
  }

  /** Blanks the offsets from..to (metadata). */
  blankRange(range: Range): void {
    this.blanks.push(range);
  }

  /** Lines first..last hold a plain value (at `range`) that should have been encrypted. */
  plainValue(first: number, last: number, range: Range): void {
    this.values.push({ first, last, range });
  }

  /** Plain values become chunks of their lines (metadata and ciphertext blanked); the text keeps neither. */
  result(): SopsView {
    const withoutMetadata = maskCiphertext(blankRanges(this.text, this.blanks));
    const lines = withoutMetadata.split('\n');
    const chunks = this.values.map(({ first, last }): Chunk => ({
      text: lines.slice(first - 1, last).join('\n').replace(/\r$/, ''),
      provenance: { kind: 'file', path: this.path },
      startLine: first,
      place: SOPS_UNENCRYPTED_PLACE,
      note: NOTES.sopsUnencrypted,
    }));
    return { text: blankRanges(withoutMetadata, this.values.map((v) => v.range)), chunks, notes: this.notes };
  }
}

/** YAML and JSON (JSON parses as YAML): one `sops` block per document. False when it is not a SOPS file. */
function tree(view: View, named: boolean): boolean {
  const stream = parseYamlStream(view.text);
  if ('error' in stream) return false; // the format source reports malformed input
  let sops = false;
  for (const doc of stream.docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    const metadata = pairOf(root, 'sops');
    const hasMetadata = metadata !== undefined && isMap(metadata.value) && METADATA_KEYS.some((key) => child(metadata.value, key) !== undefined);
    if (!hasMetadata && !named) continue;
    sops = true;
    if (metadata && hasMetadata) view.blankRange(pairRange(metadata));
    const rules = hasMetadata
      ? keyRules(view, (key) => scalarText(child(metadata.value, key)))
      : child(root, 'apiVersion') && child(root, 'kind')
        ? K8S_RULES
        : {};
    if (!rules) continue;
    for (const pair of mapPairs(root)) {
      if (pair !== metadata) leaves(view, stream, pair.value, [scalarText(pair.key) ?? ''], rules);
    }
  }
  return sops;
}

/** Offsets of a pair, from its key to the end of its value. */
function pairRange(pair: Pair): Range {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  return [key?.range?.[0] ?? 0, value?.range?.[1] ?? key?.range?.[1] ?? 0];
}

/** Walks a value; every plain string leaf under keys sops encrypts is a plain value. */
function leaves(view: View, stream: YamlStream, node: unknown, path: string[], rules: KeyRules): void {
  if (isMap(node)) {
    for (const pair of mapPairs(node)) leaves(view, stream, pair.value, [...path, scalarText(pair.key) ?? ''], rules);
  } else if (isSeq(node)) {
    for (const item of node.items) leaves(view, stream, item, path, rules);
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '' && !isSopsValue(node.value) && encrypts(rules, path)) {
    const [first, last] = lineSpan(stream, view.text, node as Node);
    const [from, to] = (node as Node).range ?? [0, 0];
    view.plainValue(first, last, [from, to]);
  }
}

/** .env: `KEY=value` lines, metadata as `sops_*` lines. False when it is not a SOPS file. */
function flat(view: View, named: boolean, metadataKey: RegExp, section: (line: string) => string | undefined): boolean {
  const entries: { line: number; key: string; value: string; valueAt: number; path: string[] }[] = [];
  const metadata = new Map<string, string>();
  let current: string | undefined;
  view.lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const header = section(line);
    if (header !== undefined) {
      current = header;
      if (current === 'sops') view.blankLines(i + 1, i + 1);
      return;
    }
    const match = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*=[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match || line.trimStart().startsWith('#') || line.trimStart().startsWith(';')) return;
    const [, key = '', value = ''] = match;
    if (current === 'sops' || (current === undefined && metadataKey.test(key))) {
      metadata.set(current === 'sops' ? key : key.replace(metadataKey, ''), value);
      view.blankLines(i + 1, i + 1);
      return;
    }
    entries.push({ line: i + 1, key, value, valueAt: view.lineStarts[i]! + line.length - value.length, path: current ? [current, key] : [key] });
  });
  const hasMetadata = METADATA_KEYS.some((key) => metadata.has(key));
  if (!hasMetadata && !named) return false;
  const rules = hasMetadata ? keyRules(view, (key) => metadata.get(key)) : {};
  if (!rules) return true;
  for (const entry of entries) {
    const value = entry.value.replace(/^(["'])(.*)\1$/, '$2');
    if (value === '' || isSopsValue(value) || !encrypts(rules, entry.path)) continue;
    view.plainValue(entry.line, entry.line, [entry.valueAt, entry.valueAt + entry.value.length]);
  }
  return true;
}

/** INI: `key = value` in sections, metadata in a `[sops]` section. */
function ini(view: View, named: boolean): boolean {
  return flat(view, named, /^(?!)/, (line) => /^[ \t]*\[([^\]]+)\][ \t]*$/.exec(line)?.[1]?.trim());
}

/** The key rules of a file's metadata; undefined (and a note) when a regex in it does not compile. */
function keyRules(view: View, get: (key: string) => string | undefined): KeyRules | undefined {
  const rules: KeyRules = {};
  const unencryptedSuffix = get('unencrypted_suffix');
  const encryptedSuffix = get('encrypted_suffix');
  if (unencryptedSuffix) rules.unencryptedSuffix = unencryptedSuffix;
  if (encryptedSuffix) rules.encryptedSuffix = encryptedSuffix;
  for (const [key, field] of [['unencrypted_regex', 'unencryptedRegex'], ['encrypted_regex', 'encryptedRegex']] as const) {
    const source = get(key);
    if (!source) continue;
    try {
      rules[field] = new RE2(source);
    } catch {
      view.notes.push({ level: 'warning', input: view.path, message: `sops metadata: ${key} does not compile: plain values in this file are not checked` });
      return undefined;
    }
  }
  if (Object.keys(rules).length === 0) rules.unencryptedSuffix = '_unencrypted'; // sops' default
  return rules;
}

/** Whether sops encrypts a value under the keys of `path` (the rules hold for a key and everything under it). */
function encrypts(rules: KeyRules, path: string[]): boolean {
  const { unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex } = rules;
  if (unencryptedSuffix && path.some((key) => key.endsWith(unencryptedSuffix))) return false;
  if (unencryptedRegex && path.some((key) => unencryptedRegex.test(key))) return false;
  if (encryptedSuffix) return path.some((key) => key.endsWith(encryptedSuffix));
  if (encryptedRegex) return path.some((key) => encryptedRegex.test(key));
  return true;
}
