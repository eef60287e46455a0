// A secret value that refuses to be printed: every accidental path (String(), JSON, util.inspect) redacts.
import { inspect } from 'node:util';

/** Redacted form of a secret: a short prefix and the length, never enough to use or guess it. */
export function redact(value: string): string {
  const n = value.length >= 32 ? 6 : value.length >= 16 ? 4 : value.length >= 10 ? 2 : 0;
  return `${value.slice(0, n)}…(${value.length} chars)`;
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
