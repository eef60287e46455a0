// The team's layout conventions (seed 000 by default): the shared store's name, the secret path, the default secret, the target name.

/** Name patterns with `{team}`, `{app}`, `{secret}` placeholders. */
export interface Layout {
  /** The shared SecretStore's name; `{team}` is the team (default `ss-{team}`). */
  sharedStore: string;
  /** The secret's path in the mount (default `{team}/{app}/{secret}`). */
  path: string;
  /** The secret's name when none is given (default `api-config`). */
  secret: string;
  /** The ExternalSecret (and Kubernetes Secret) made for an app (default `{app}-app-secret`). */
  targetName: string;
}

/** Today's conventions: those of seed 000. */
export const DEFAULT_LAYOUT: Layout = { sharedStore: 'ss-{team}', path: '{team}/{app}/{secret}', secret: 'api-config', targetName: '{app}-app-secret' };

const KEYS: Record<string, { field: keyof Layout; required: string[]; allowed: string[] }> = {
  'shared-store': { field: 'sharedStore', required: ['team'], allowed: ['team'] },
  path: { field: 'path', required: ['app', 'secret'], allowed: ['team', 'app', 'secret'] },
  secret: { field: 'secret', required: [], allowed: [] },
  'target-name': { field: 'targetName', required: ['app'], allowed: ['team', 'app'] },
};

/** Fills the placeholders of `pattern`. */
export function fill(pattern: string, names: Partial<Record<'team' | 'app' | 'secret', string>>): string {
  return pattern.replace(/\{(team|app|secret)\}/g, (_, k: 'team' | 'app' | 'secret') => names[k] ?? '');
}

/** The team a shared store's name stands for under the layout, or undefined when the name does not follow it. */
export function teamOfStore(layout: Layout, storeName: string): string | undefined {
  const [before, after] = layout.sharedStore.split('{team}') as [string, string];
  if (!storeName.startsWith(before) || !storeName.endsWith(after) || storeName.length <= before.length + after.length) return undefined;
  return storeName.slice(before.length, storeName.length - after.length);
}

/**
 * Reads `[remediate.layout]` (keys `shared-store`, `path`, `secret`, `target-name`) over the defaults. Throws an Error
 * naming the file and key for an unknown key, a non-string, or a placeholder that is missing or unknown.
 */
export function parseLayout(table: unknown, file: string): Layout {
  if (table === undefined) return DEFAULT_LAYOUT;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) throw new Error(`${file}: [remediate.layout] must be a table`);
  const layout: Layout = { ...DEFAULT_LAYOUT };
  for (const [key, value] of Object.entries(table)) {
    const spec = KEYS[key];
    if (!spec) throw new Error(`${file}: [remediate.layout] ${key}: unknown key (known: ${Object.keys(KEYS).join(', ')})`);
    if (typeof value !== 'string' || !value.trim()) throw new Error(`${file}: [remediate.layout] ${key}: expected a non-empty string like "${DEFAULT_LAYOUT[spec.field]}"`);
    const used = [...value.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
    const unknown = used.find((p) => !spec.allowed.includes(p));
    if (unknown !== undefined) throw new Error(`${file}: [remediate.layout] ${key}: unknown placeholder {${unknown}} (allowed: ${spec.allowed.map((p) => `{${p}}`).join(', ') || 'none'})`);
    const missing = spec.required.find((p) => used.filter((u) => u === p).length !== 1);
    if (missing) throw new Error(`${file}: [remediate.layout] ${key}: must hold {${missing}} exactly once (e.g. "${DEFAULT_LAYOUT[spec.field]}")`);
    layout[spec.field] = value;
  }
  return layout;
}
