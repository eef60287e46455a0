// Findings cross the worker boundary as plain objects: the Secret wrappers are unwrapped and rebuilt.
import { Secret } from '../secret.js';
import type { Finding } from '../types.js';

/** A Finding whose wrapped values are plain strings (structured-clone safe; stays inside the process). */
export type WireFinding = Omit<Finding, 'secret' | 'match' | 'line'> & { secret: string; match: string; line: string };

/** Unwraps a finding for `postMessage`. */
export function toWire(finding: Finding): WireFinding {
  return { ...finding, secret: finding.secret.reveal(), match: finding.match.reveal(), line: finding.line.reveal() };
}

/** Rebuilds a finding received from a worker. */
export function fromWire(wire: WireFinding): Finding {
  return { ...wire, secret: new Secret(wire.secret), match: new Secret(wire.match), line: new Secret(wire.line) };
}
