// A leaked value that is not in Vault (only in a committed .env or ConfigMap): the plan to move it there, per seed 000.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { shellQuote, type IncidentFinding } from './plan.js';
import { filterRepoCommand } from './purge.js';
import type { Infra, InfraStore } from './infra.js';
import { DEFAULT_LAYOUT, fill, teamOfStore, type Layout } from './layout.js';

/** Where the value goes and how ESO brings it back, with every name filled in. */
export interface MovePlan {
  incident: string;
  finding?: IncidentFinding;
  /** Why the value is not in Vault (no reference; Vault compared). */
  reason: string;
  mount: string;
  team: string;
  app: string;
  secret: string;
  /** The path in the mount, from the layout's pattern (`<team>/<app>/<secret>` by default). */
  path: string;
  /** The key inside the Vault secret (and in the Kubernetes Secret). */
  property: string;
  vaultNamespace?: string;
  store: { name: string; kind: 'SecretStore' | 'ClusterSecretStore' };
  externalSecret: { apiVersion: string; name: string; namespace: string; file: string };
  /** The app's kustomization.yaml, relative to the infra root, when there is one. */
  kustomization?: string;
  infraRoot: string;
  gitops: boolean;
}

/** Flags that name what the infra repository cannot tell: --team, --app, --mount, --secret, --property. */
export interface MoveOptions {
  team?: string;
  app?: string;
  mount?: string;
  secret?: string;
  property?: string;
  /** The naming conventions ([remediate.layout]); seed 000's by default. */
  layout?: Layout;
}

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();
}

/** The shared store (seed 000's `ss-<team>`, or the layout's name): the one named for --team, else the only one. */
function sharedStore(infra: Infra, team: string | undefined, layout: Layout): InfraStore | undefined {
  const shared = infra.stores.filter((s) => s.kvVersion === 'v2' && s.mount && teamOfStore(layout, s.name) !== undefined);
  if (team) return shared.find((s) => s.name === fill(layout.sharedStore, { team }));
  const names = [...new Set(shared.map((s) => s.name))];
  return names.length === 1 ? shared[0] : undefined;
}

/** The app: --app, else the `k8s/<app>/` folder the leaked file is in, else the scan root's name when the infra repo has `k8s/<it>/`. */
function appOf(infra: Infra, options: MoveOptions, finding: IncidentFinding | undefined, scanRoot: string | undefined): string | undefined {
  if (options.app) return options.app;
  const inFolder = finding ? /(?:^|\/)k8s\/([^/]+)\//.exec(finding.path)?.[1] : undefined;
  if (inFolder) return inFolder;
  const rootName = scanRoot ? basename(scanRoot) : undefined;
  return rootName && existsSync(join(infra.root, 'k8s', rootName)) ? rootName : undefined;
}

function mostUsedApiVersion(infra: Infra): string {
  const counts = new Map<string, number>();
  for (const es of infra.externalSecrets) counts.set(es.apiVersion, (counts.get(es.apiVersion) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'external-secrets.io/v1beta1';
}

/**
 * Builds the move plan from the infra repository's shared SecretStore and the flags. Throws an Error naming the
 * flag to give when a name cannot be derived.
 */
export function buildMovePlan(
  infra: Infra,
  args: { incident: string; finding?: IncidentFinding; identifier?: string; scanRoot?: string; reason: string; gitops: boolean; options: MoveOptions },
): MovePlan {
  const { options } = args;
  const layout = options.layout ?? DEFAULT_LAYOUT;
  const store = sharedStore(infra, options.team, layout);
  const team = options.team ?? (store ? teamOfStore(layout, store.name) : undefined);
  const mount = options.mount ?? store?.mount;
  if (!team) throw new Error(`--team: cannot derive the team (no single shared SecretStore named ${fill(layout.sharedStore, { team: '<team>' })} in --infra); give --team`);
  if (!mount) throw new Error(`--mount: cannot derive the Vault mount (no SecretStore ${fill(layout.sharedStore, { team })} with a provider.vault.path in --infra); give --mount`);
  const app = appOf(infra, options, args.finding, args.scanRoot);
  if (!app) throw new Error('--app: cannot derive the app (the leaked file is not under k8s/<app>/ and the scan root names no k8s/<app>/ folder in --infra); give --app');
  const property = options.property ?? args.identifier;
  if (!property) throw new Error('--property: the finding names no variable or key; give --property (the key to store it under)');
  for (const [flag, value] of [['--team', team], ['--app', app]] as const) {
    if (!NAME.test(value)) throw new TypeError(`${flag}: "${value}" is not a lowercase name (letters, digits, dashes)`);
  }
  const secret = options.secret ?? layout.secret;
  const namespace = store?.namespace ?? team;
  const folder = `k8s/${app}`;
  const taken = (name: string) => infra.externalSecrets.some((es) => es.namespace === namespace && es.name === name);
  const preferred = fill(layout.targetName, { team, app });
  const name = taken(preferred) ? `${app}-${kebab(property)}` : preferred;
  const file = existsSync(join(infra.root, folder, 'externalsecret-app.yaml')) ? `${folder}/externalsecret-${name}.yaml` : `${folder}/externalsecret-app.yaml`;
  const plan: MovePlan = {
    incident: args.incident,
    reason: args.reason,
    mount,
    team,
    app,
    secret,
    path: fill(layout.path, { team, app, secret }),
    property,
    store: { name: store?.name ?? fill(layout.sharedStore, { team }), kind: store?.kind ?? 'SecretStore' },
    externalSecret: { apiVersion: mostUsedApiVersion(infra), name, namespace, file },
    infraRoot: infra.root,
    gitops: args.gitops,
  };
  if (args.finding) plan.finding = args.finding;
  if (store?.vaultNamespace) plan.vaultNamespace = store.vaultNamespace;
  const kustomization = ['kustomization.yaml', 'kustomization.yml'].find((k) => existsSync(join(infra.root, folder, k)));
  if (kustomization) plan.kustomization = `${folder}/${kustomization}`;
  return plan;
}

/** The Vault path of the plan, relative to the mount: `<team>/<app>/<secret>` by default. */
export function movePath(plan: MovePlan): string {
  return plan.path;
}

/** The exact `vault kv patch` command; `KEY=-` makes Vault read the value from stdin, so it is never on a command line. */
export function vaultPatchCommand(plan: MovePlan): string {
  const ns = plan.vaultNamespace ? ` -namespace=${shellQuote(plan.vaultNamespace)}` : '';
  return `vault kv patch${ns} ${shellQuote(`${plan.mount}/${movePath(plan)}`)} ${shellQuote(`${plan.property}=-`)}`;
}

/** The ExternalSecret to add, in the form of seed 000 (refreshInterval 1m, the shared SecretStore, remoteRef key/property). */
export function externalSecretManifest(plan: MovePlan): string {
  const es = plan.externalSecret;
  return [
    `# ${plan.property} of the ${plan.app} app, moved into Vault (incident ${plan.incident}).`,
    `apiVersion: ${es.apiVersion}`,
    'kind: ExternalSecret',
    'metadata:',
    `  name: ${es.name}`,
    `  namespace: ${es.namespace}`,
    '  annotations:',
    '    argocd.argoproj.io/compare-options: IgnoreExtraneous',
    'spec:',
    '  refreshInterval: "1m"',
    '  secretStoreRef:',
    `    name: ${plan.store.name}`,
    `    kind: ${plan.store.kind}`,
    '  target:',
    `    name: ${es.name}`,
    '    deletionPolicy: Retain',
    '  data:',
    `  - secretKey: ${plan.property}`,
    '    remoteRef:',
    `      key: "${movePath(plan)}"`,
    `      property: ${plan.property}`,
    '',
  ].join('\n');
}

/** What is left to people after the move: revoke, purge, force-push. */
function moveChecklist(plan: MovePlan): string[] {
  const items = ['Revoke the leaked credential at its provider: moving a leaked value into Vault does not make it secret again.'];
  if (plan.finding) {
    items.push(`Purge it from git history: \`${filterRepoCommand(plan.finding)}\` (in a fresh clone; it rewrites every commit).`);
    items.push('Force-push the rewritten history (`git push --force --all && git push --force --tags`), tell the team to re-clone, and ask the host to drop cached views and pull-request refs.');
  }
  return items;
}

/** The numbered steps of a move plan, with every name filled in and the manifest to add. */
export function renderMovePlan(plan: MovePlan): string {
  const lines = [`Incident ${plan.incident}`];
  const f = plan.finding;
  if (f) lines.push(`Finding: ${f.ruleId} at ${f.path}:${f.startLine}:${f.startColumn}, value ${f.redacted}${f.identifier ? `, named ${f.identifier}` : ''}`);
  const where = f ? `only in ${f.path}` : 'outside Vault';
  lines.push(`Not in Vault: ${plan.reason}. The value lives ${where}: move it to Vault, as the team guide does.`);
  const es = plan.externalSecret;
  const vaultPath = `${plan.mount}/${movePath(plan)}`;
  lines.push('', 'Steps:');
  let n = 1;
  lines.push(`${n++}. Issue a new credential at its provider (the leaked value must not be moved: it is compromised).`);
  lines.push(`${n++}. Store the new value in Vault at ${vaultPath}${plan.vaultNamespace ? ` (namespace ${plan.vaultNamespace})` : ''}; Vault reads it from stdin (type it and press Ctrl-D, or pipe it in), so it is never on a command line or printed:`);
  lines.push(`     ${vaultPatchCommand(plan)}`);
  lines.push(`   (kv patch keeps the other keys of ${plan.secret}; when ${movePath(plan)} does not exist yet, \`vault kv put\` with the same arguments creates it.)`);
  const kust = plan.kustomization ? ` and list it in the resources of ${plan.kustomization}` : ` (no kustomization.yaml in k8s/${plan.app}/: add it wherever the app's manifests are listed)`;
  const how = plan.gitops ? `--apply --gitops writes ${es.file}${plan.kustomization ? ` and adds it to ${plan.kustomization}` : ''}; then commit and push` : `add ${es.file} to the infra repository${kust}; then commit and push (--gitops --apply writes it)`;
  lines.push(`${n++}. Add ExternalSecret ${es.namespace}/${es.name} (SecretStore ${plan.store.name}, refreshInterval 1m): ${how}:`);
  lines.push('', ...externalSecretManifest(plan).trimEnd().split('\n').map((l) => `     ${l}`), '');
  lines.push(`${n++}. Read it from Secret ${es.name} in the ${plan.app} Deployment (envFrom: secretRef: name: ${es.name}, or env ${plan.property} valueFrom secretKeyRef key ${plan.property}), and restart it once ESO has synced.`);
  if (f) lines.push(`${n++}. Remove ${plan.property} from ${f.path} (and keep the file out of git: .gitignore, or a ConfigMap without it).`);
  lines.push('', 'Left to people:', ...moveChecklist(plan).map((c) => `- [ ] ${c}`));
  return `${lines.join('\n')}\n`;
}
