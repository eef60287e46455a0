// docker-compose files: environment (map and list), build args, env_file references and x- extension blocks.
import { isMap } from './infra/yaml-lib.js';
import type { Document, Node } from 'yaml';
import { NOTES } from './infra/notes.js';
import { child, lineSpan, mapPairs, pairOf, scalarText, seqItems } from './infra/yaml-doc.js';
import { nodeChunk, yamlChunks } from './infra/yaml-chunks.js';
import type { Ctx } from './infra/yaml-chunks.js';
import type { FileChunks } from './file-chunks.js';

/** Chunks for a compose file; malformed YAML yields a note and a plain scan. */
export function composeChunks(path: string, text: string): FileChunks {
  return yamlChunks(path, text, 'compose', scanCompose);
}

function scanCompose(doc: Document.Parsed, ctx: Ctx): void {
  const root = doc.contents;
  for (const pair of mapPairs(root)) {
    if (scalarText(pair.key)?.startsWith('x-')) ctx.chunks.push(nodeChunk(ctx, pair, 'compose.x-extension', NOTES.composeEnvironment));
  }
  for (const service of mapPairs(child(root, 'services'))) scanService(service.value, ctx);
}

function scanService(service: unknown, ctx: Ctx): void {
  if (!isMap(service)) return;
  for (const pair of mapPairs(service)) {
    if (scalarText(pair.key)?.startsWith('x-')) ctx.chunks.push(nodeChunk(ctx, pair, 'compose.x-extension', NOTES.composeEnvironment));
  }
  const environment = pairOf(service, 'environment');
  if (environment?.value) ctx.chunks.push(nodeChunk(ctx, environment, 'compose.environment', NOTES.composeEnvironment));
  const args = pairOf(child(service, 'build'), 'args');
  if (args?.value) ctx.chunks.push(nodeChunk(ctx, args, 'compose.build.args', NOTES.composeBuildArgs));
  const envFile = child(service, 'env_file');
  const refs = envFile && !scalarText(envFile) ? seqItems(envFile) : [envFile];
  for (const ref of refs) {
    const target = (isMap(ref) ? child(ref, 'path') : ref) as Node | undefined;
    if (!target || !scalarText(target)) continue;
    const [first, last] = lineSpan(ctx.stream, ctx.text, target);
    ctx.chunks.push(ctx.src.chunk(first, last, 'compose.env_file', NOTES.composeEnvFile));
  }
}
