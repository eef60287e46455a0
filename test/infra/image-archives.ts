// Builds container image archives in memory (docker save and OCI layout) with tar-stream: no Docker engine needed.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export interface TarEntry {
  name: string;
  data?: string | Buffer;
}

/** A tar archive of the entries (regular files). */
export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const entry of entries) pack.entry({ name: entry.name, type: 'file' }, entry.data ?? '');
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const part of pack) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export interface ImageSpec {
  env?: string[];
  history?: string[];
  labels?: Record<string, string>;
  /** Each layer's files, bottom first. */
  layers: TarEntry[][];
  /** gzip each layer (default true for OCI, false for docker save). */
  gzip?: boolean;
}

function configOf(spec: ImageSpec, layerTars: Buffer[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: spec.env ?? [], Labels: spec.labels ?? null },
      history: (spec.history ?? []).map((created_by) => ({ created_by })),
      rootfs: { type: 'layers', diff_ids: layerTars.map((t) => `sha256:${sha256(t)}`) },
    }),
  );
}

/** A `docker save` archive (classic layout: <id>/layer.tar, <hex>.json, manifest.json). */
export async function dockerSave(spec: ImageSpec): Promise<{ archive: Buffer; layerDigests: string[] }> {
  const layerTars = await Promise.all(spec.layers.map((files) => tarOf(files)));
  const config = configOf(spec, layerTars);
  const configName = `${sha256(config)}.json`;
  const layerNames = layerTars.map((t, i) => `${sha256(t + String(i)).slice(0, 12)}/layer.tar`);
  const entries: TarEntry[] = [
    // Layers first, manifest last: readers must not depend on the order.
    ...layerTars.map((t, i) => ({ name: layerNames[i]!, data: spec.gzip ? gzipSync(t) : t })),
    { name: configName, data: config },
    { name: 'manifest.json', data: JSON.stringify([{ Config: configName, RepoTags: ['registry.internal/app:1.0'], Layers: layerNames }]) },
  ];
  return { archive: await tarOf(entries), layerDigests: layerTars.map((t) => `sha256:${sha256(t)}`) };
}

/** An OCI image layout tarball (oci-layout, index.json, blobs/sha256/...), gzip layers. */
export async function ociLayout(spec: ImageSpec): Promise<{ archive: Buffer; layerDigests: string[] }> {
  const layerTars = await Promise.all(spec.layers.map((files) => tarOf(files)));
  const blobs = layerTars.map((t) => (spec.gzip === false ? t : gzipSync(t)));
  const config = configOf(spec, layerTars);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
      layers: blobs.map((b) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${sha256(b)}`, size: b.length })),
    }),
  );
  const index = {
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha256(manifest)}`, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': '1.0' } }],
  };
  const entries: TarEntry[] = [
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', data: JSON.stringify(index) },
    { name: `blobs/sha256/${sha256(manifest)}`, data: manifest },
    { name: `blobs/sha256/${sha256(config)}`, data: config },
    ...blobs.map((b) => ({ name: `blobs/sha256/${sha256(b)}`, data: b })),
  ];
  return { archive: await tarOf(entries), layerDigests: blobs.map((b) => `sha256:${sha256(b)}`) };
}
