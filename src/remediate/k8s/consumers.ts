// Which containers of a pod template read a Kubernetes Secret, and how (env, envFrom, volume).

/** How a workload reads the secret: env and envFrom need a restart to see a new value; volumes update in place. */
export type ConsumeMode = 'env' | 'envFrom' | 'volume';

/** A workload that reads the target secret. */
export interface Consumer {
  kind: string;
  namespace: string;
  name: string;
  modes: ConsumeMode[];
  /** Env var names fed from the secret (for env); the secret's keys are the names for envFrom. */
  envNames: string[];
  /** The infra file it was declared in, when found in manifests. */
  file?: string;
  /**
   * Reads a Vault Secrets Operator destination Secret: `restarts` when the VaultStaticSecret's rolloutRestartTargets
   * names it (VSO restarts it after the sync), `manual` otherwise (a restart is offered, files or env alike).
   */
  vso?: 'restarts' | 'manual';
}

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

/** The ways the pod spec `podSpec` reads the Secret named `secretName`, and the env names it feeds. */
export function podSpecConsumes(podSpec: unknown, secretName: string): { modes: ConsumeMode[]; envNames: string[] } {
  const spec = obj(podSpec);
  const modes = new Set<ConsumeMode>();
  const envNames: string[] = [];
  for (const container of [...list(spec.containers), ...list(spec.initContainers)]) {
    for (const env of list(container.env)) {
      const ref = obj(obj(env.valueFrom).secretKeyRef);
      if (ref.name === secretName) {
        modes.add('env');
        if (typeof env.name === 'string') envNames.push(env.name);
      }
    }
    for (const from of list(container.envFrom)) {
      if (obj(from.secretRef).name === secretName) modes.add('envFrom');
    }
  }
  for (const volume of list(spec.volumes)) {
    if (obj(volume.secret).secretName === secretName) modes.add('volume');
    for (const source of list(obj(volume.projected).sources)) {
      if (obj(source.secret).name === secretName) modes.add('volume');
    }
  }
  return { modes: [...modes], envNames };
}

/** True when we should restart the workload for it to see a new value (env vars are read at start; VSO consumers unless VSO restarts them). */
export function needsRestart(consumer: Consumer): boolean {
  if (consumer.vso) return consumer.vso === 'manual';
  return consumer.modes.includes('env') || consumer.modes.includes('envFrom');
}
