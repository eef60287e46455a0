// Ways a repository can show git a different history than its objects hold: grafts and replace refs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanNote } from '../../types.js';
import { runGit } from './safe-git.js';

/**
 * Warnings for `<gitDir>/info/grafts` and `refs/replace/*`: both can hide commits from an audit, so safeGitEnv turns
 * both off (GIT_GRAFT_FILE=/dev/null, GIT_NO_REPLACE_OBJECTS=1) and the user hears that the real history was read.
 */
export async function historyRewriteNotes(root: string, gitDir: string): Promise<ScanNote[]> {
  const notes: ScanNote[] = [];
  const grafts = join(gitDir, 'info', 'grafts');
  const text = await readFile(grafts, 'utf8').catch(() => undefined);
  const lines = text?.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length ?? 0;
  if (text !== undefined) {
    notes.push({ level: 'warning', input: grafts, message: `grafts file rewrites the parents of ${lines} commit(s) and could hide history: ignored, the commits' real parents are audited` });
  }
  const refs = await runGit(root, ['for-each-ref', '--format=%(refname)', 'refs/replace/']);
  const replaced = refs.code === 0 ? refs.stdout.toString('utf8').split('\n').filter(Boolean).length : 0;
  if (replaced > 0) {
    notes.push({ level: 'warning', input: root, message: `${replaced} replace ref(s) (refs/replace/) could show other objects in place of real ones: ignored (--no-replace-objects), the real objects are audited` });
  }
  return notes;
}
