// Findings cross the worker boundary as plain objects: the Secret wrapper is unwrapped and rebuilt.
import { Secret } from '../secret.js';
import type { Finding } from '../types.js';

/** A Finding whose secret and match are plain strings (structured-clone safe; stays inside the process). */
export type WireFinding = Omit<Finding, 'secret' | 'match'> & { secret: string; match: string };

/** Unwraps a finding for `postMessage`. */
export function toWire(finding: Finding): WireFinding {
  return { ...finding, secret: finding.secret.reveal(), match: finding.match.reveal() };
}

/** Rebuilds a finding received from a worker. */
export function fromWire(wire: WireFinding): Finding {
  return { ...wire, secret: new Secret(wire.secret), match: new Secret(wire.match) };
}
