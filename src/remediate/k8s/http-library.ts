// The Kubernetes client's HTTP under the shared policy: its requests go through the guard, keeping the cluster's TLS agent.
import { createConfiguration, ResponseContext, ServerConfiguration, wrapHttpLibrary, type KubeConfig, type RequestContext } from '@kubernetes/client-node';
import { guardedFetch } from '../../net/guarded-fetch.js';
import { nodeRequest, type NodeRequestInit } from '../../net/node-request.js';
import type { FetchLike } from '../http.js';

/** Sends each API request through `fetch` (the guarded one), passing the agent the kubeconfig built (CA, client cert). */
function httpLibrary(fetch: FetchLike) {
  return wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      const agent = request.getAgent();
      const init: NodeRequestInit = { method: request.getHttpMethod().toString(), headers: request.getHeaders(), ...(agent ? { agent } : {}) };
      const body = request.getBody();
      if (body !== undefined) init.body = body as string;
      const signal = request.getSignal();
      if (signal) init.signal = signal;
      const response = await fetch(request.getUrl(), init);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      return new ResponseContext(response.status, headers, { text: async () => bytes.toString('utf8'), binary: async () => bytes });
    },
  });
}

/**
 * An API client of `kc`'s current cluster whose every request follows the HTTP policy: no bearer token over plain
 * http (unless loopback or SPILLWAY_ALLOW_HTTP=1), no redirect elsewhere, a timeout and a size cap.
 */
export function makeGuardedClient<T>(kc: KubeConfig, api: new (config: ReturnType<typeof createConfiguration>) => T, env?: Record<string, string | undefined>): T {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubernetes: the kubeconfig has no current cluster');
  const fetch = guardedFetch({ fetch: nodeRequest, ...(env ? { env } : {}) });
  const config = createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: kc }, httpApi: httpLibrary(fetch) });
  return new api(config);
}
