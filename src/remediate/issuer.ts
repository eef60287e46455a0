// Who issues a secret: a provider (a random value would not be a valid credential) or the team itself (random is fine).
import type { Secret } from '../secret.js';

/** `provider`: the new value must come from the provider (stdin or its CLI/API); `team`: a random value is a valid one. */
export interface Issuer {
  by: 'provider' | 'team';
  reason: string;
}

/** Value prefixes of provider-issued credentials (never stored: the value is only tested in memory). */
const PROVIDER_PREFIXES: [RegExp, string][] = [
  [/^(?:gh[pousr]_|github_pat_)/, 'GitHub'],
  [/^glpat-/, 'GitLab'],
  [/^[rs]k_(?:live|test)_/, 'Stripe'],
  [/^(?:AKIA|ASIA)[A-Z0-9]{12}/, 'AWS'],
  [/^xox[abposr]-/, 'Slack'],
  [/^AIza[\w-]{30}/, 'Google'],
  [/^sk-(?:ant-|proj-)?[\w-]{20}/, 'OpenAI/Anthropic'],
  [/^SG\.[\w-]{16,}\./, 'SendGrid'],
  [/^npm_[A-Za-z0-9]{30}/, 'npm'],
  [/^hf_[A-Za-z0-9]{30}/, 'Hugging Face'],
  [/^(?:dop|doo|dor)_v1_/, 'DigitalOcean'],
  [/^shp(?:at|ca|pa|ss)_/, 'Shopify'],
  [/^hv[sbr]\./, 'Vault (a token Vault issues)'],
];

/** Rules that say where a value sits (an assignment, a manifest, a URL), not which service issued it. */
const GENERIC_RULE = /^(?:generic-|compose-|dockerfile-|k8s-|kustomize-|helm-|sops-)|-url-password$|^(?:sqlserver-connection-password|url-basic-auth|netrc-password|htpasswd-hash)$/;

const TEAM_NAME = /passw(?:or)?d|passphrase|pwd|(?:^|_)pass$|signing|cookie|csrf|jwt_?secret|hmac|encryption|salt|internal/i;
const PROVIDER_NAME = /api_?key|access_?key|token|client_?secret|app_?secret|webhook|dsn|licen[cs]e/i;

/**
 * Who issues the secret named `property` (and `identifier` at the leak site), found by `ruleId`, whose current
 * value is `value` when known. An override (`--issued-by`) wins; a name that says neither counts as provider-issued.
 */
export function issuerOf(input: { property: string; identifier?: string; ruleId?: string; value?: Secret; override?: Issuer['by'] }): Issuer {
  if (input.override) return { by: input.override, reason: 'as --issued-by says' };
  const value = input.value?.reveal();
  const prefix = value === undefined ? undefined : PROVIDER_PREFIXES.find(([re]) => re.test(value));
  if (prefix) return { by: 'provider', reason: `the value has the form of a ${prefix[1]} credential` };
  if (input.ruleId && !GENERIC_RULE.test(input.ruleId)) return { by: 'provider', reason: `rule ${input.ruleId} finds credentials its service issues` };
  const names = [...new Set([input.property, input.identifier].filter((n): n is string => Boolean(n)))];
  const team = names.find((n) => TEAM_NAME.test(n));
  if (team) return { by: 'team', reason: `${team} names a password or key the team sets itself` };
  const provider = names.find((n) => PROVIDER_NAME.test(n));
  if (provider) return { by: 'provider', reason: `${provider} names a key or token a provider issues` };
  return { by: 'provider', reason: `${names.join(', ')} does not say who issues it, so it counts as provider-issued (give --issued-by team if the team issues it)` };
}
