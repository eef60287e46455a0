// The severity of a rule that sets none (every gitleaks rule): read from its id, as gitleaks names its rules.
import type { Severity } from '../types.js';

/** Private keys and key bundles: the whole identity is in the file. */
const CRITICAL = /private-key|pkcs12|(?:^|-)age-secret-key/;
/** Identifiers and public halves (client ids, access ids, publishable keys) and test-mode keys: not usable alone. */
const LOW = /(?:^|-)(?:client|access|app|api|user-api)?-?id$|(?:^|-)pub(?:lic)?(?:-|$)|(?:^|-)test(?:-|$)|publishable/;
/** Short-lived or narrow credentials: JWTs (often expired), short-lived tokens, incoming webhooks. */
const MEDIUM = /^jwt|short-lived|webhook/;

/**
 * `critical` for private keys, `low` for ids, public keys and test keys, `medium` for JWTs, short-lived tokens
 * and webhooks, else `high` (an API key, token, secret or password committed anywhere, generic ones included).
 */
export function severityFromId(id: string): Severity {
  const name = id.toLowerCase();
  if (CRITICAL.test(name)) return 'critical';
  if (LOW.test(name)) return 'low';
  if (MEDIUM.test(name)) return 'medium';
  return 'high';
}
