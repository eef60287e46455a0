// Whether git understands a date as `git log --since/--until` would, asked of git itself (its strict parser).
import { runGit } from './safe-git.js';

/**
 * True when git's date parser accepts `value` ("2024-01-31", "2 weeks ago", "yesterday"). `git log --since`
 * itself takes any text silently (an unknown date becomes "now", so the walk is empty); the expiry-date
 * config type uses the same parser but reports what it could not read.
 */
export async function isGitDate(repo: string, value: string): Promise<boolean> {
  if (value.trim() === '' || /[\r\n]/.test(value)) return false;
  const r = await runGit(repo, ['-c', `spillway.date=${value}`, 'config', '--type=expiry-date', 'spillway.date']);
  return r.code === 0;
}
