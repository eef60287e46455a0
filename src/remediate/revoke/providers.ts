// Which provider issued a leaked token, whether it has a documented revocation API, and where to revoke it by hand.
import type { Secret } from '../../secret.js';

/** Providers whose documented API revokes a token given only the token. */
export type RevokeApi = 'github' | 'gitlab' | 'slack';

/** What the plan says about revoking the leaked value (its kind only: never the value). */
export interface PlannedRevocation {
  /** The provider, as people name it. */
  provider: string;
  /** Set when spillway can revoke it through the provider's documented API (with --revoke). */
  api?: RevokeApi;
  /** The provider's page where a person revokes it, or checks that it is revoked. */
  url: string;
  /** Why it cannot be revoked through an API, for a provider without one. */
  note?: string;
}

interface Kind {
  prefix: RegExp;
  revocation: PlannedRevocation;
}

/** The kinds, by the public prefix of the token; the first match wins (longer prefixes first). */
const KINDS: Kind[] = [
  { prefix: /^(?:ghp_|gho_|ghu_|ghr_|github_pat_)/, revocation: { provider: 'GitHub', api: 'github', url: 'https://github.com/settings/tokens' } },
  { prefix: /^ghs_/, revocation: { provider: 'GitHub', url: 'https://github.com/settings/apps', note: 'an installation token expires within an hour and the credential revocation API does not take it; rotate the GitHub App\'s private key' } },
  { prefix: /^glpat-/, revocation: { provider: 'GitLab', api: 'gitlab', url: 'https://gitlab.com/-/user_settings/personal_access_tokens' } },
  { prefix: /^(?:gldt-|glrt-)/, revocation: { provider: 'GitLab', url: 'https://gitlab.com/-/user_settings/personal_access_tokens', note: 'deploy and runner tokens have no self-revocation API' } },
  { prefix: /^xox[bp]-/, revocation: { provider: 'Slack', api: 'slack', url: 'https://api.slack.com/apps' } },
  { prefix: /^xox[aeors]-|^xapp-/, revocation: { provider: 'Slack', url: 'https://api.slack.com/apps', note: 'auth.revoke takes bot and user tokens only' } },
  { prefix: /^(?:AKIA|ASIA)/, revocation: { provider: 'AWS', url: 'https://console.aws.amazon.com/iam/home#/security_credentials', note: 'an access key is deactivated, then deleted, in IAM (aws iam update-access-key --status Inactive)' } },
  { prefix: /^(?:sk|rk)_(?:live|test)_/, revocation: { provider: 'Stripe', url: 'https://dashboard.stripe.com/apikeys', note: 'roll the key in the dashboard' } },
  { prefix: /^sk-ant-/, revocation: { provider: 'Anthropic', url: 'https://console.anthropic.com/settings/keys' } },
  { prefix: /^sk-/, revocation: { provider: 'OpenAI', url: 'https://platform.openai.com/api-keys' } },
  { prefix: /^npm_/, revocation: { provider: 'npm', url: 'https://www.npmjs.com/settings/~/tokens', note: 'or `npm token revoke <id>`' } },
  { prefix: /^SG\./, revocation: { provider: 'SendGrid', url: 'https://app.sendgrid.com/settings/api_keys' } },
  { prefix: /^AIza/, revocation: { provider: 'Google Cloud', url: 'https://console.cloud.google.com/apis/credentials', note: 'delete or regenerate the API key' } },
  { prefix: /^hv[sb]\./, revocation: { provider: 'HashiCorp Vault', url: 'https://developer.hashicorp.com/vault/docs/commands/token/revoke', note: '`vault token revoke -self` with the token, or `vault token revoke -accessor`' } },
];

/** The revocation of a leaked value, from its public prefix; undefined for a value whose provider cannot be told. */
export function revocationFor(value: Secret | undefined): PlannedRevocation | undefined {
  if (!value) return undefined;
  const text = value.reveal();
  const kind = KINDS.find((k) => k.prefix.test(text));
  return kind ? { ...kind.revocation } : undefined;
}
