// The fixed table of where each provider's secrets may be sent: its own documented API host, nothing else.

/** Providers with a harmless identity endpoint. */
export type ProviderName = 'github' | 'gitlab' | 'slack' | 'stripe' | 'npm' | 'openai' | 'anthropic' | 'aws' | 'sendgrid' | 'vault';

/** Each provider's documented API base. Vault has none: its address comes from VAULT_ADDR (see vault-address.ts). */
export const PROVIDER_HOSTS: Readonly<Record<Exclude<ProviderName, 'vault'>, string>> = Object.freeze({
  github: 'https://api.github.com',
  gitlab: 'https://gitlab.com',
  slack: 'https://slack.com',
  stripe: 'https://api.stripe.com',
  npm: 'https://registry.npmjs.org',
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
  aws: 'https://sts.amazonaws.com',
  sendgrid: 'https://api.sendgrid.com',
});
