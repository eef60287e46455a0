// The registry of validators a rule may name (`validator = "..."`): offline structure and checksum checks.
import { base64PemPrivateKey } from './base64-pem.js';
import { dockerAuth } from './docker-auth.js';
import { githubChecksum } from './github-checksum.js';
import { jwtStructure } from './jwt-structure.js';
import { npmChecksum } from './npm-checksum.js';
import { pypiMacaroon } from './pypi-macaroon.js';

/** 'valid' raises a finding's confidence; 'invalid' drops it; 'unknown' leaves it as it is. */
export type ValidatorResult = 'valid' | 'invalid' | 'unknown';

/** Checks a secret offline, without contacting anyone. */
export type Validator = (secret: string) => ValidatorResult;

/** Validators by the name rules use. */
export const validators: Readonly<Record<string, Validator>> = Object.freeze({
  'base64-pem-private-key': base64PemPrivateKey,
  'docker-auth': dockerAuth,
  'github-checksum': githubChecksum,
  'jwt-structure': jwtStructure,
  'npm-checksum': npmChecksum,
  'pypi-macaroon': pypiMacaroon,
});
