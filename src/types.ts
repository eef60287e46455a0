// The shared vocabulary of spillway: what sources yield, what rules are, what the detector finds.
import type { Secret } from './secret.js';

/** Where a chunk of text came from. Every variant has `path`: the display location (POSIX, relative to the scan root). */
export type Provenance =
  | { kind: 'file'; path: string }
  | { kind: 'staged'; path: string; blob?: string }
  | {
      kind: 'git';
      path: string;
      blob: string;
      commit: string;
      author?: string;
      email?: string;
      date?: string; // ISO 8601 author date
      /** Other commits and paths where the same blob appears. */
      alsoIn?: { commit: string; path: string }[];
      /** History scans: whether the secret is still in some file at HEAD (false: deleted or replaced, yet still in history). */
      presentAtHead?: boolean;
    }
  | { kind: 'commit-message'; path: string; commit: string; author?: string; email?: string; date?: string; tag?: string }
  | { kind: 'image'; path: string; image: string; layer?: string; deletedLater?: boolean }
  | { kind: 'ci-log'; path: string; run?: string; job?: string; step?: string };

export type ProvenanceKind = Provenance['kind'];

/** A piece of text to scan. Sources yield these; the detector maps them to findings. */
export interface Chunk {
  text: string;
  provenance: Provenance;
  /** 1-based line, in the original input, of the chunk's first line. Default 1. */
  startLine?: number;
  /** 1-based column, in the original input, of the chunk's first character (default 1; first line only). */
  startColumn?: number;
  /** Optional per-line map: chunk line i (0-based) -> original 1-based line. Wins over startLine. */
  lineMap?: number[];
  /** The kind of place the text was found in, e.g. `dockerfile.env`, `k8s.secret.data`, `ci-log`. */
  place?: string;
  /** Set when `text` is a decoding of what is in the input: findings point at this original span instead. */
  decodedFrom?: { encoding: 'base64'; line: number; column: number; endColumn: number };
  /** Extra message a source attaches to every finding in this chunk (e.g. "ConfigMaps are not for secrets"). */
  note?: string;
  /** The text's own bytes, set only when the text is pure ASCII: the detector then matches them as they are. */
  asciiBytes?: Buffer;
  /** The content could not be scanned (a binary file): `text` is empty and only rules on the path alone apply. */
  pathOnly?: boolean;
  /**
   * Set on a chunk that joins a `\` line continuation: `text` is line `startLine` without its backslash, then the
   * next line from this offset on. Only matches that cross the join are reported (the rest are found in the lines'
   * own chunk); a finding's end after the join is on the next line.
   */
  joinedAt?: number;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Confidence = 'high' | 'medium' | 'low';

/** An allowlist as in gitleaks: a match is dropped when the condition holds. */
export interface AllowlistSpec {
  description?: string;
  condition: 'OR' | 'AND';
  regexTarget: 'secret' | 'match' | 'line';
  regexes: string[];
  paths: string[];
  stopwords: string[];
  commits: string[];
  /** Global allowlists only (gitleaks `targetRules`): the rule ids it applies to; empty = every rule. */
  targetRules?: string[];
}

/** A rule example: TOML may give a plain string (path `example.txt`) or `{ text, path }` for path-bound rules. */
export interface RuleExample {
  text: string;
  path?: string;
}

/** A rule as loaded from TOML (gitleaks superset), before compilation. */
export interface RuleSpec {
  id: string;
  description: string;
  /** RE2 syntax. Absent only for path-only rules (a leak pattern in a file name). */
  regex?: string;
  /** Capture group holding the secret; 0 or absent = the first group if any, else the whole match. */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  keywords: string[];
  /** RE2 regex a file path must match for the rule to apply. */
  path?: string;
  /** RE2 regex a chunk's `place` must match for the rule to apply (e.g. `^k8s\\.configmap`). */
  place?: string;
  allowlists: AllowlistSpec[];
  tags: string[];
  severity: Severity;
  confidence: Confidence;
  /** Texts the rule must match (each at least once). */
  examples: RuleExample[];
  /** Texts the rule must not match. */
  counterexamples: RuleExample[];
  /** Name of a validator in src/detect/validators (e.g. `github-checksum`). */
  validator?: string;
  /** What to do about it; shown in reports and help text. */
  remediation?: string;
  /** Which file it came from (for messages). */
  source?: string;
}

/** A problem found in configuration: all are collected and reported at once. */
export interface ConfigProblem {
  level: 'error' | 'warning';
  /** Rule id or config key the problem is about, when there is one. */
  subject?: string;
  file?: string;
  message: string;
}

/** Something the scan could not do or chose to skip, named by input. Reports list these. */
export interface ScanNote {
  level: 'error' | 'warning' | 'info';
  input: string;
  message: string;
}

export interface Location {
  path: string;
  /** 1-based lines and columns (UTF-16 code units, SARIF's default), end column exclusive. */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export type ValidationStatus = 'checksum-valid' | 'checksum-invalid' | 'verified-active' | 'verified-inactive' | 'unknown';

/** A secret found. `secret` and `match` are wrapped: they print redacted. */
export interface Finding {
  ruleId: string;
  description: string;
  severity: Severity;
  confidence: Confidence;
  /** Span of the secret itself (for decoded chunks: the span of the encoded value). */
  location: Location;
  provenance: Provenance;
  secret: Secret;
  /** The whole match, for context. */
  match: Secret;
  /** The source line(s) around the secret, secret included: wrapped, so reporters redact it via `secret`. */
  line: Secret;
  /** Name at the leak site (env var, YAML key, assignment target), when one is recognisable. */
  identifier?: string;
  entropy?: number;
  place?: string;
  decodedFrom?: 'base64';
  validation?: ValidationStatus;
  /** Extra advice from the rule or the source. */
  message?: string;
  /** Stable id: rule, path and keyed hash of the secret. Filled in by the scan pipeline. */
  fingerprint: string;
  tags: string[];
}

/** Rule metadata reporters need (help text for SARIF's tool.driver.rules). */
export interface RuleMeta {
  id: string;
  description: string;
  severity: Severity;
  tags: string[];
  remediation?: string;
}

/** What a run looked at: reporters use it for SARIF run metadata. */
export interface ScanInfo {
  /** Absolute path of the scan root (the repository for git scans). */
  root: string;
  mode: 'files' | 'staged' | 'history' | 'image' | 'ci-log';
  repository?: { uri?: string; revision?: string; branch?: string };
  startedAt?: string;
  finishedAt?: string;
  /** Id of the fingerprint key (not the key): a baseline made with another key says so. */
  fingerprintKeyId?: string;
}

export interface ReportContext {
  rules: RuleMeta[];
  info: ScanInfo;
  notes: ScanNote[];
  toolVersion: string;
  /** Print secrets in full (only with --show-secrets). */
  showSecrets: boolean;
  /** Colour for the text reporter (TTY). */
  color?: boolean;
}

/** A reporter is a pure function of findings and context. */
export type Reporter = (findings: Finding[], ctx: ReportContext) => string;

/** A source yields chunks; it knows nothing about rules. */
export interface Source {
  chunks(): AsyncIterable<Chunk>;
}
