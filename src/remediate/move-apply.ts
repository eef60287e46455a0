// --apply --gitops for a move plan: writes the new ExternalSecret into the app's folder and lists it in kustomization.yaml.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { addResource } from './kustomization.js';
import { externalSecretManifest, type MovePlan } from './move-plan.js';
import { shellQuote } from './plan.js';

/**
 * Writes the plan's ExternalSecret (a new file; an identical one is left alone, a different one is refused) and
 * adds it to the app's kustomization.yaml. Returns the files changed and the commit to make. Idempotent.
 */
export async function writeMoveManifests(plan: MovePlan): Promise<{ files: string[]; commit: string }> {
  const root = plan.infraRoot;
  const es = plan.externalSecret;
  const manifest = externalSecretManifest(plan);
  const path = join(root, es.file);
  const existing = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new Error(`${es.file}: cannot read (${err.code ?? 'error'})`);
  });
  if (existing !== undefined && existing !== manifest) throw new Error(`${es.file}: exists with other content; not overwriting it`);
  const files = [es.file];
  if (existing === undefined) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, manifest, { flag: 'wx' });
  }
  if (plan.kustomization) {
    const kpath = join(root, plan.kustomization);
    const text = await readFile(kpath, 'utf8');
    let edited: string;
    try {
      edited = addResource(text, es.file.slice(es.file.lastIndexOf('/') + 1));
    } catch (err) {
      throw new Error(`${plan.kustomization}: ${(err as Error).message}`);
    }
    if (edited !== text) await writeFile(kpath, edited);
    files.push(plan.kustomization);
  }
  const message = `chore(secrets): read ${plan.property} of ${plan.app} from Vault through ExternalSecret ${es.name} (incident ${plan.incident})`;
  const git = `git -C ${shellQuote(root)}`;
  return { files, commit: `${git} add ${files.map(shellQuote).join(' ')} && ${git} commit -m ${shellQuote(message)} && ${git} push` };
}
