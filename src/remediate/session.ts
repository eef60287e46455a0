// Connects the adapters a remediation needs from the environment, each checked before any change is made.
import type { Secret } from '../secret.js';
import { connectGitHub, type IssueTracker } from './github/client.js';
import { KubeCluster, loadKubeConfig, type ClusterApi } from './k8s/client.js';
import { generateLike, valueFromCommand, valueFromStdin } from './generate.js';
import type { RemediationPlan } from './plan.js';
import { connectVault } from './vault/auth.js';
import type { KvStore } from './vault/client.js';

/** The cluster from KUBECONFIG / ~/.kube/config / in-cluster, or undefined with the reason when there is none. */
export function clusterFromEnv(env: Record<string, string | undefined>, context?: string): { cluster?: ClusterApi; problem?: string } {
  try {
    return { cluster: new KubeCluster(loadKubeConfig(env, context)) };
  } catch (err) {
    return { problem: (err as Error).message };
  }
}

/** Vault from VAULT_ADDR and VAULT_TOKEN / AppRole; VAULT_NAMESPACE wins over the SecretStore's namespace. */
export function vaultFromEnv(env: Record<string, string | undefined>, namespace?: string): Promise<KvStore> {
  return connectVault(env, namespace ? { namespace } : {});
}

/** GitHub issues from GITHUB_TOKEN and GITHUB_API_URL, when the plan opens an issue. */
export function issuesFromEnv(env: Record<string, string | undefined>, plan: RemediationPlan): IssueTracker | undefined {
  return plan.github ? connectGitHub(env) : undefined;
}

/** The new-value source the options ask for. */
export function newValueSource(
  kind: RemediationPlan['newValue'],
  options: { generator?: string; stdin?: NodeJS.ReadableStream; env: Record<string, string | undefined> },
): (current: Secret) => Promise<Secret> {
  if (kind === 'generator') return () => valueFromCommand(options.generator ?? '', options.env);
  if (kind === 'stdin') return () => valueFromStdin(options.stdin);
  return async (current) => generateLike(current);
}
