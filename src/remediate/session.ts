// Connects the adapters a remediation needs from the environment, each checked before any change is made.
import type { Secret } from '../secret.js';
import type { IssueTracker } from './github/client.js';
import type { ClusterApi } from './k8s/client.js';
import { generateLike, valueFromCommand, valueFromStdin } from './generate.js';
import type { RemediationPlan } from './plan.js';
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
