// Tells infrastructure formats apart by file name and, for YAML and logs, by content.
import { looksLikeCiLog } from '../ci-logs.js';

/** The formats chunksForFile tells apart. */
export type FileFormat = 'dockerfile' | 'compose' | 'kubernetes' | 'kustomize' | 'helm-values' | 'ci-log' | 'plain';

/** The format of a file at `path` (POSIX) with `text`. */
export function detectFormat(path: string, text: string): FileFormat {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/^(?:Dockerfile|Containerfile)(?:[.-].*)?$/i.test(name) || /\.(?:dockerfile|containerfile)$/i.test(name)) return 'dockerfile';
  const yaml = /\.ya?ml$/i.test(name);
  if (yaml && /^(?:docker-)?compose(?:[.-].*)?\.ya?ml$/i.test(name)) return 'compose';
  if (yaml && /^kustomization\.ya?ml$/i.test(name)) return 'kustomize';
  if (yaml && /^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text)) return 'kubernetes';
  if (yaml && /^values(?:[.-].*)?\.ya?ml$/i.test(name)) return 'helm-values';
  if (!yaml && looksLikeCiLog(path, text)) return 'ci-log';
  return 'plain';
}
