// The user's own folders: where spillway keeps state it must trust, never inside a scanned tree.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_CONFIG_HOME/spillway` (default `~/.config/spillway`): the user's settings and fingerprint key. */
export function userConfigDir(env: Record<string, string | undefined>): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'spillway');
}

/** `$XDG_STATE_HOME/spillway` (default `~/.local/state/spillway`): incident journals, cache keys. */
export function userStateDir(env: Record<string, string | undefined>): string {
  return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'spillway');
}

/** `$XDG_CACHE_HOME/spillway` (default `~/.cache/spillway`): what can be rebuilt at any time (Node's compiled code). */
export function userCacheDir(env: Record<string, string | undefined>): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'spillway');
}
