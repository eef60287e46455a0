// Container image archives (docker save, OCI layout): config Env, history, labels and every layer's files, streamed.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import type { Provenance, ScanNote } from '../types.js';
import type { SourceItem, TextChunk } from './file-input.js';
import { readLayout, normalise } from './infra/image-layout.js';
import type { ImageConfig, ImageLayout } from './infra/image-layout.js';
import { NOTES } from './infra/notes.js';
import { Whiteouts } from './infra/whiteouts.js';

/** A tar entry's byte stream (streamx): iterate it or resume() to skip it. */
type LayerStream = AsyncIterable<unknown> & { resume(): unknown };
type LayerEntry = LayerStream & { header: { name: string; size: number; type: string } };

/** JSON documents (manifests, configs) are small: anything larger is a layer. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;

export interface ImageSourceOptions {
  /** How the image is named in provenance (default: the archive's file name). */
  display?: string;
  /** Files in layers larger than this are skipped (default 10 MiB). */
  maxFileBytes?: number;
}

/**
 * An image archive on disk: its config (Env, history, labels) as text chunks, every layer's files as files for the
 * corridor. The archive is read three times as a stream (JSON documents, whiteouts, file contents) and never
 * unpacked. Problems are collected in `notes`.
 */
export class ImageSource {
  readonly notes: ScanNote[] = [];
  /** Work done: layers decompressed and read, over every pass. */
  readonly stats = { layersRead: 0 };
  private readonly display: string;
  private readonly maxFileBytes: number;

  constructor(
    private readonly file: string,
    opts: ImageSourceOptions = {},
  ) {
    this.display = opts.display ?? basename(file);
    this.maxFileBytes = opts.maxFileBytes ?? 10 * 1024 * 1024;
  }

  async *items(): AsyncIterable<SourceItem> {
    let images: ImageLayout[];
    try {
      const layout = readLayout(await this.readJson());
      images = layout.images;
      for (const problem of layout.problems) this.notes.push({ level: 'warning', input: this.display, message: problem });
    } catch (error) {
      this.notes.push({ level: 'error', input: this.display, message: `not a readable image archive: ${(error as Error).message}` });
      return;
    }
    // A layer shared by several images of the archive is read for the first of them only.
    const scanned = new Set<string>();
    for (const image of images) {
      const name = image.name ?? this.display;
      if (image.config) for (const chunk of configChunks(image.config, name)) yield { chunk };
      else this.notes.push({ level: 'warning', input: name, message: 'image config not found in the archive: Env, history and labels not scanned' });
      if (image.layers.every((l) => scanned.has(l.entry))) continue;
      const whiteouts = await this.readWhiteouts(image);
      yield* this.layerItems(image, name, whiteouts, scanned);
      for (const layer of image.layers) scanned.add(layer.entry);
    }
  }

  /** Pass 1: every small entry that parses as JSON, by normalised name. */
  private async readJson(): Promise<Map<string, unknown>> {
    const json = new Map<string, unknown>();
    for await (const entry of this.entries()) {
      const { size, type } = entry.header;
      if (type !== 'file' || size > MAX_JSON_BYTES) {
        entry.resume();
        continue;
      }
      const data = await collect(entry);
      if (data[0] !== 0x7b && data[0] !== 0x5b) continue;
      try {
        json.set(normalise(entry.header.name), JSON.parse(data.toString('utf8')));
      } catch {
        // Not JSON after all (a layer that starts with a brace): only layers are read later.
      }
    }
    return json;
  }

  /** Pass 2: the whiteouts of each layer, so that files deleted later can be flagged. */
  private async readWhiteouts(image: ImageLayout): Promise<Whiteouts> {
    const whiteouts = new Whiteouts();
    for await (const { index, entry } of this.layerFiles(image, false)) {
      whiteouts.add(index, entry.name);
      entry.stream.resume();
    }
    return whiteouts;
  }

  /** Pass 3: each file of each layer, for the corridor. Files over the size limit are not read. */
  private async *layerItems(image: ImageLayout, name: string, whiteouts: Whiteouts, scanned: ReadonlySet<string>): AsyncIterable<SourceItem> {
    for await (const { index, entry } of this.layerFiles(image, true, scanned)) {
      const { stream, size } = entry;
      const base = entry.name.slice(entry.name.lastIndexOf('/') + 1);
      if (base.startsWith('.wh.') || size === 0) {
        stream.resume();
        continue;
      }
      const bytes = size > this.maxFileBytes ? (stream.resume(), null) : await collect(stream);
      const deletedLater = whiteouts.deletedAfter(index, entry.name);
      const provenance: Provenance = {
        kind: 'image',
        path: entry.name,
        image: name,
        layer: image.layers[index]!.digest,
        ...(deletedLater ? { deletedLater: true } : {}),
      };
      const prefix = deletedLater ? { notePrefix: 'Deleted by a later layer, but still in the image.' } : {};
      const display = `${name}@${provenance.layer}:${entry.name}`;
      yield { file: { path: entry.name, display, provenance, bytes, size, note: NOTES.imageLayer, ...prefix, place: 'image.layer' } };
    }
  }

  /** Regular files of the image's layers, with the layer index, in archive order; `report`: note problems. */
  private async *layerFiles(image: ImageLayout, report: boolean, skip: ReadonlySet<string> = new Set()): AsyncIterable<{ index: number; entry: { name: string; size: number; stream: LayerStream } }> {
    const byEntry = new Map(image.layers.map((layer, i) => [layer.entry, i]));
    const seen = new Set<number>();
    for await (const outer of this.entries()) {
      const name = normalise(outer.header.name);
      const index = byEntry.get(name);
      // An archive may hold the same entry twice: a layer is read once per pass.
      if (index === undefined || outer.header.type !== 'file' || seen.has(index) || skip.has(name)) {
        if (index !== undefined) seen.add(index);
        outer.resume();
        continue;
      }
      seen.add(index);
      this.stats.layersRead++;
      let layer: Readable;
      try {
        layer = await decompressed(outer);
      } catch (error) {
        if (report) this.notes.push({ level: 'warning', input: `${this.display}@${image.layers[index]!.digest}`, message: `layer not scanned: ${(error as Error).message}` });
        outer.resume();
        continue;
      }
      const inner = tar.extract();
      layer.on('error', (error) => inner.destroy(error));
      layer.pipe(inner);
      try {
        for await (const file of inner) {
          if (file.header.type !== 'file') {
            // Whiteouts are regular files; directories and links hold no text.
            file.resume();
            continue;
          }
          yield { index, entry: { name: normalise(file.header.name), size: file.header.size, stream: file } };
        }
      } catch (error) {
        if (report) this.notes.push({ level: 'warning', input: `${this.display}@${image.layers[index]!.digest}`, message: `layer is not a readable tar: ${(error as Error).message}` });
      }
    }
    for (const [i, layer] of image.layers.entries()) {
      if (report && !seen.has(i)) this.notes.push({ level: 'warning', input: this.display, message: `layer ${layer.digest} (${layer.entry}) is missing from the archive` });
    }
  }

  private entries(): AsyncIterable<LayerEntry> {
    const extract = tar.extract();
    const input = createReadStream(this.file);
    input.on('error', (error) => extract.destroy(error));
    input.pipe(extract);
    return extract;
  }
}

/** Config Env, history `created_by` and labels, one chunk each, one line per item. */
function* configChunks(config: ImageConfig, image: string): Iterable<TextChunk> {
  const base = (path: string): TextChunk['provenance'] => ({ kind: 'image', path, image });
  const env = config.config?.Env ?? [];
  if (env.length > 0) yield { text: env.join('\n'), provenance: base('config/Env'), place: 'image.config.env', note: NOTES.imageEnv };
  const history = (config.history ?? []).map((h) => (h.created_by ?? '').replace(/\n/g, ' '));
  if (history.some((h) => h !== '')) yield { text: history.join('\n'), provenance: base('config/history'), place: 'image.history', note: NOTES.imageHistory };
  const labels = Object.entries(config.config?.Labels ?? {}).map(([k, v]) => `${k}=${v.replace(/\n/g, ' ')}`);
  if (labels.length > 0) yield { text: labels.join('\n'), provenance: base('config/Labels'), place: 'image.label', note: NOTES.dockerfileLabel };
}

/** The layer's bytes, gunzipped when gzip; zstd layers are not supported. */
async function decompressed(entry: AsyncIterable<unknown>): Promise<Readable> {
  const iterator = entry[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  if (first.done) return Readable.from([]);
  const head = first.value;
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    await drain(iterator);
    throw new Error('zstd-compressed layers are not supported');
  }
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })(),
  );
  return head[0] === 0x1f && head[1] === 0x8b ? rest.pipe(createGunzip()) : rest;
}

async function drain(iterator: AsyncIterator<Buffer>): Promise<void> {
  for (let next = await iterator.next(); !next.done; next = await iterator.next());
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
