// Kubernetes manifests (multi-document YAML): ConfigMap and Secret values, pod env literals, Kustomize generators.
import { isMap, isScalar, isSeq } from './infra/yaml-lib.js';
import type { Document, Node, Pair } from 'yaml';
import { NOTES } from './infra/notes.js';
import { nodeChunk, yamlChunks } from './infra/yaml-chunks.js';
import type { Ctx } from './infra/yaml-chunks.js';
import { child, lineSpan, mapPairs, pairOf, scalarText, seqItems } from './infra/yaml-doc.js';
import { parseYamlStream } from './infra/yaml-doc.js';
import type { YamlStream } from './infra/yaml-doc.js';
import type { FileChunks } from './file-chunks.js';

/** Kinds that only point at secrets kept elsewhere (or hold them encrypted): never scanned. */
const REFERENCE_KINDS = new Set(['ExternalSecret', 'ClusterExternalSecret', 'SecretStore', 'ClusterSecretStore', 'SealedSecret', 'PushSecret']);
const CONTAINER_KEYS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/** The SealedSecrets of each parsed file, as `namespace/name` (namespace empty when not set). */
const sealedByStream = new WeakMap<YamlStream, SealedName[]>();

/** A SealedSecret's name (or that of the Secret it creates) and namespace (empty when not set). */
export interface SealedName {
  namespace: string;
  name: string;
}

/** A Secret a manifest declares, with the 1-based lines of its `metadata.name`. */
export interface DeclaredSecret extends SealedName {
  first: number;
  last: number;
}

/** The Secrets and SealedSecrets a manifest file declares (for checks across the files of a folder); undefined when not YAML. */
export function secretDeclarations(text: string): { sealed: SealedName[]; secrets: DeclaredSecret[] } | undefined {
  const stream = parseYamlStream(text);
  if ('error' in stream) return undefined;
  const secrets: DeclaredSecret[] = [];
  const visit = (root: unknown): void => {
    const kind = scalarText(child(root, 'kind'));
    if (kind?.endsWith('List')) for (const item of seqItems(child(root, 'items'))) visit(item);
    if (kind !== 'Secret') return;
    const metadata = child(root, 'metadata');
    const namePair = pairOf(metadata, 'name');
    const name = scalarText(namePair?.value);
    if (!namePair || !name) return;
    const [first, last] = lineSpan(stream, text, namePair);
    secrets.push({ name, namespace: scalarText(child(metadata, 'namespace')) ?? '', first, last });
  };
  for (const doc of stream.docs) visit(doc.contents);
  return { sealed: sealedSecrets(stream), secrets };
}

/** Whether a Secret and a SealedSecret name the same Secret (a missing namespace matches any). */
export function sameSecret(a: SealedName, b: SealedName): boolean {
  return a.name === b.name && (a.namespace === b.namespace || !a.namespace || !b.namespace);
}

/** Chunks for a Kubernetes manifest (or kustomization.yaml); malformed YAML yields a note and a plain scan. */
export function kubernetesChunks(path: string, text: string): FileChunks {
  return yamlChunks(path, text, 'k8s.manifest', scanDocument);
}

function scanDocument(doc: Document.Parsed, ctx: Ctx): void {
  scanResource(doc.contents, ctx);
}

/** One resource; a `List` (what `kubectl get -o yaml` writes) is scanned item by item. */
function scanResource(root: unknown, ctx: Ctx): void {
  if (!isMap(root)) return;
  const kind = scalarText(child(root, 'kind'));
  if (kind?.endsWith('List') && isSeq(child(root, 'items'))) {
    for (const item of seqItems(child(root, 'items'))) scanResource(item, ctx);
    return;
  }
  if (kind && REFERENCE_KINDS.has(kind)) {
    const [first, last] = lineSpan(ctx.stream, ctx.text, root as Node);
    ctx.src.claim(first, last);
    return;
  }
  if (kind === 'ConfigMap') configMap(root as Node, ctx);
  if (kind === 'Secret') {
    secret(root as Node, ctx);
    unsealedTwin(root as Node, ctx);
  }
  if (kind === 'Kustomization' || child(root, 'secretGenerator') || child(root, 'configMapGenerator')) kustomization(root as Node, ctx);
  podEnv(root, ctx);
}

function configMap(root: Node, ctx: Ctx): void {
  const data = pairOf(root, 'data');
  if (data && isMap(data.value)) ctx.chunks.push(nodeChunk(ctx, data, 'k8s.configmap.data', NOTES.configMap));
  const binary = pairOf(root, 'binaryData');
  for (const pair of mapPairs(binary?.value)) decodedValue(pair, ctx, 'k8s.configmap.binaryData', NOTES.configMap);
}

function secret(root: Node, ctx: Ctx): void {
  for (const pair of mapPairs(child(root, 'data'))) decodedValue(pair, ctx, 'k8s.secret.data', NOTES.secret);
  const stringData = pairOf(root, 'stringData');
  if (stringData && isMap(stringData.value)) ctx.chunks.push(nodeChunk(ctx, stringData, 'k8s.secret.stringData', NOTES.secret));
}

/** A Secret with a SealedSecret of the same name in the file: its `metadata.name` line, placed `k8s.secret.unsealed`. */
function unsealedTwin(root: Node, ctx: Ctx): void {
  const metadata = child(root, 'metadata');
  const namePair = pairOf(metadata, 'name');
  const name = scalarText(namePair?.value);
  const namespace = scalarText(child(metadata, 'namespace')) ?? '';
  if (!namePair || !name) return;
  const twin = sealedSecrets(ctx.stream).some((s) => sameSecret(s, { name, namespace }));
  if (twin) ctx.chunks.push(nodeChunk(ctx, namePair, 'k8s.secret.unsealed', NOTES.unsealedSecret));
}

/** Names (and namespaces) of the SealedSecrets in a file, and of the Secrets they create (`spec.template.metadata`). */
function sealedSecrets(stream: YamlStream): SealedName[] {
  const cached = sealedByStream.get(stream);
  if (cached) return cached;
  const found: SealedName[] = [];
  const visit = (root: unknown): void => {
    const kind = scalarText(child(root, 'kind'));
    if (kind?.endsWith('List')) for (const item of seqItems(child(root, 'items'))) visit(item);
    if (kind !== 'SealedSecret') return;
    for (const metadata of [child(root, 'metadata'), child(child(child(root, 'spec'), 'template'), 'metadata')]) {
      const name = scalarText(child(metadata, 'name'));
      if (name) found.push({ name, namespace: scalarText(child(metadata, 'namespace')) ?? scalarText(child(child(root, 'metadata'), 'namespace')) ?? '' });
    }
  };
  for (const doc of stream.docs) visit(doc.contents);
  sealedByStream.set(stream, found);
  return found;
}

/** Base64-decodes one `key: value` and yields the decoded text, pointing back at the encoded value. */
function decodedValue(pair: Pair, ctx: Ctx, place: string, note: string): void {
  const [first, last] = lineSpan(ctx.stream, ctx.text, pair);
  const key = scalarText(pair.key) ?? '';
  const value = pair.value as Node | null;
  const encoded = scalarText(value)?.replace(/\s+/g, '') ?? '';
  if (!value || encoded === '') {
    ctx.src.claim(first, last);
    return;
  }
  const decoded = decodeBase64(encoded);
  if (decoded === undefined) {
    ctx.notes.push({ level: 'warning', input: ctx.src.path, message: `line ${first}: ${place} value of "${key}" is not valid base64: scanned as plain text` });
    ctx.chunks.push(ctx.src.chunk(first, last, place, note));
    return;
  }
  ctx.src.claim(first, last);
  if (decoded === null) {
    ctx.notes.push({ level: 'info', input: ctx.src.path, message: `line ${first}: ${place} value of "${key}" decodes to binary data: not scanned` });
    return;
  }
  const span = valueSpan(ctx, value);
  ctx.chunks.push({
    // A single-line value keeps its key in front, so that rules keyed on names (password: ...) see it.
    text: decoded.includes('\n') ? decoded : `${key}: ${decoded}`,
    provenance: ctx.src.provenance,
    startLine: span.line,
    place,
    note: `${note} (value decoded from base64)`,
    decodedFrom: { encoding: 'base64', ...span },
  });
}

/** Decoded UTF-8 text; undefined when not base64, null when it decodes to binary. */
function decodeBase64(encoded: string): string | undefined | null {
  if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return undefined;
  const bytes = Buffer.from(encoded, 'base64');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.includes('\0') ? null : text;
  } catch {
    return null;
  }
}

/** Line and columns (1-based, end exclusive) of an encoded scalar, without its quotes. */
function valueSpan(ctx: Ctx, value: Node): { line: number; column: number; endColumn: number } {
  const [start, end] = value.range ?? [0, 0];
  const quoted = isScalar(value) && (value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE');
  const from = quoted ? start + 1 : start;
  const to = quoted ? end - 1 : end;
  const { line, col } = ctx.stream.lineCounter.linePos(from);
  const lineEnd = ctx.text.indexOf('\n', from);
  const stop = lineEnd === -1 || lineEnd > to ? to : lineEnd;
  return { line, column: col, endColumn: col + Math.max(stop - from, 1) };
}

function kustomization(root: Node, ctx: Ctx): void {
  for (const [key, place, note] of [
    ['secretGenerator', 'kustomize.secretGenerator', NOTES.kustomizeSecret],
    ['configMapGenerator', 'kustomize.configMapGenerator', NOTES.configMap],
  ] as const) {
    for (const generator of seqItems(child(root, key))) {
      const literals = pairOf(generator, 'literals');
      if (literals && isSeq(literals.value)) ctx.chunks.push(nodeChunk(ctx, literals, place, note));
    }
  }
}

/** Every container list in the document (pods, deployments, jobs, cronjobs...): literal env values. */
function podEnv(node: unknown, ctx: Ctx): void {
  for (const pair of mapPairs(node)) {
    const key = scalarText(pair.key);
    if (key && CONTAINER_KEYS.has(key)) {
      for (const container of seqItems(pair.value)) containerEnv(container, ctx);
    } else {
      podEnv(pair.value, ctx);
    }
  }
  for (const item of seqItems(node)) podEnv(item, ctx);
}

function containerEnv(container: unknown, ctx: Ctx): void {
  for (const item of seqItems(child(container, 'env'))) {
    if (!isMap(item)) continue;
    if (pairOf(item, 'value')) ctx.chunks.push(nodeChunk(ctx, item as Node, 'k8s.pod.env', NOTES.podEnv));
    else if (pairOf(item, 'valueFrom')) ctx.src.claim(...lineSpan(ctx.stream, ctx.text, item as Node));
  }
  const envFrom = pairOf(container, 'envFrom');
  if (envFrom) ctx.src.claim(...lineSpan(ctx.stream, ctx.text, envFrom));
  for (const other of mapPairs(container)) {
    const key = scalarText(other.key);
    if (key !== 'env' && key !== 'envFrom') podEnv(other.value, ctx);
  }
}
