// A secret value that refuses to be printed: every accidental path (String(), JSON, util.inspect) redacts.
import { inspect } from 'node:util';

/**
 * Public prefixes that name a token's kind and carry none of its randomness (`ghp_`, `AKIA`, `xoxb-`…).
 * NOTE: the prefix is shown only when a long random part follows it, so nothing secret is ever shown.
 */
const KIND_PREFIX =
  /^(?:AKIA|ASIA|AGPA|AIDA|AROA|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|gldt-|glrt-|xox[abposr]-|xapp-|sk_live_|sk_test_|rk_live_|rk_test_|pk_live_|whsec_|npm_|pypi-|SG\.|sk-ant-|sk-proj-|sk-|hvs\.|hvb\.|AIza|dop_v1_|shpat_|shpss_|glsa_|tskey-|sgp_|ops_|pplx-|eyJ|-----BEGIN )/;
const MIN_RANDOM_AFTER_PREFIX = 12;

/** Redacted form of a secret: its public kind prefix, if it has one, and the length; nothing of its random part. */
export function redact(value: string): string {
  const prefix = KIND_PREFIX.exec(value)?.[0] ?? '';
  const shown = value.length - prefix.length >= MIN_RANDOM_AFTER_PREFIX ? prefix : '';
  return `${shown}…(${value.length} chars)`;
}

/** Wraps a secret so that only an explicit `reveal()` yields the value. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real value: call only where a user asked to see it (--show-secrets) or to compare it in memory. */
  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  redacted(): string {
    return redact(this.#value);
  }

  /** The form a report shows: redacted unless the user explicitly asked for secrets. */
  display(showSecrets: boolean): string {
    return showSecrets ? this.#value : redact(this.#value);
  }

  equals(other: Secret | string): boolean {
    return this.#value === (typeof other === 'string' ? other : other.reveal());
  }

  toString(): string {
    return this.redacted();
  }

  toJSON(): string {
    return this.redacted();
  }

  [inspect.custom](): string {
    return `Secret(${this.redacted()})`;
  }
}
