// The registry of validators a rule can name: checks a provider documents, such as a token's checksum.

/** `valid` raises confidence, `invalid` drops the finding, `unknown` leaves it as it is. */
export type ValidatorResult = 'valid' | 'invalid' | 'unknown';
export type Validator = (secret: string) => ValidatorResult;

/** Validators by the name rules use in their `validator` field. */
export const validators: Readonly<Record<string, Validator>> = {};
