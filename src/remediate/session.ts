// Connects the adapters a remediation needs from the environment, each checked before any change is made.
import type { Secret } from '../secret.js';
import type { IssueTracker } from './github/client.js';
import type { ClusterApi } from './k8s/client.js';
import { generateLike, valueFromCommand, valueFromStdin } from './generate.js';
import type { RemediationPlan } from './plan.js';
import { SecretsManagerClient, endpointFromEnv } from './aws/client.js';
import { credentialsFromEnv } from './aws/credentials.js';
import type { FetchLike } from './http.js';
import { AwsSecretsManagerStore } from './stores/aws-sm.js';
import { connectVault } from './vault/auth.js';
import type { KvStore } from './vault/client.js';

/**
 * The cluster from KUBECONFIG / ~/.kube/config / in-cluster, or the reason there is none.
 * NOTE: @kubernetes/client-node and @octokit/rest load lazily: importing them costs seconds, and every CLI command imports this module.
 */
export async function clusterFromEnv(env: Record<string, string | undefined>, context?: string): Promise<{ cluster?: ClusterApi; problem?: string }> {
  try {
    const { KubeCluster, loadKubeConfig } = await import('./k8s/client.js');
    return { cluster: new KubeCluster(loadKubeConfig(env, context), env) };
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

/** Vault from VAULT_ADDR and VAULT_TOKEN / AppRole; VAULT_NAMESPACE wins over the SecretStore's namespace. */
export function vaultFromEnv(env: Record<string, string | undefined>, namespace?: string): Promise<KvStore> {
  return connectVault(env, namespace ? { namespace } : {});
}

/**
 * AWS Secrets Manager from the standard environment: credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN
 * or the AWS_PROFILE profile of the shared files, the endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL.
 * Throws Unauthorized when there are no credentials.
 */
export function awsFromEnv(env: Record<string, string | undefined>, fetch?: FetchLike): AwsSecretsManagerStore {
  const credentials = credentialsFromEnv(env);
  const clients = new Map<string, SecretsManagerClient>();
  return new AwsSecretsManagerStore((region) => {
    let client = clients.get(region);
    if (!client) {
      client = new SecretsManagerClient({ region, credentials, endpoint: endpointFromEnv(env, region), ...(fetch ? { fetch } : {}) });
      clients.set(region, client);
    }
    return client;
  });
}

/** GitHub issues from GITHUB_TOKEN and GITHUB_API_URL, when the plan opens an issue. */
export async function issuesFromEnv(env: Record<string, string | undefined>, plan: RemediationPlan): Promise<IssueTracker | undefined> {
  if (!plan.github) return undefined;
  const { connectGitHub } = await import('./github/client.js');
  return connectGitHub(env);
}

/** The new-value source the options ask for. */
export function newValueSource(
  kind: RemediationPlan['newValue'],
  options: { generator?: string; stdin?: NodeJS.ReadableStream; env: Record<string, string | undefined>; prompt?: (text: string) => void },
): (current: Secret) => Promise<Secret> {
  if (kind === 'generator') return () => valueFromCommand(options.generator ?? '', options.env);
  if (kind === 'stdin') return () => valueFromStdin(options.stdin, options.prompt);
  return async (current) => generateLike(current);
}
