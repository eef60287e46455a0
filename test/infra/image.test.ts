// Container images: config Env, history and labels, every layer's files, whiteouts; archives built by the test.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileChunks } from '../../src/scan/corridor.js';
import { ImageSource } from '../../src/sources/image.js';
import type { Chunk, Finding } from '../../src/types.js';
import { builtinDetector } from '../helpers/detector.js';
import { dockerSave, ociLayout } from './image-archives.js';
import type { ImageSpec } from './image-archives.js';

const dir = mkdtempSync(join(tmpdir(), 'spillway-image-'));
const pw = (name: string): string => `${name}-f4ke-pass`;

const SPEC: ImageSpec = {
  env: ['PATH=/usr/local/bin:/usr/bin', `DB_PASSWORD=${pw('Img')}`],
  history: [
    '/bin/sh -c #(nop) ADD file:abc in / ',
    `RUN |1 NPM_TOKEN=${pw('H1story')} /bin/sh -c npm ci`,
    `/bin/sh -c curl -fsS -u deploy:${pw('Curl')} https://artifacts.internal/x.tgz`,
  ],
  labels: { 'org.opencontainers.image.version': '1.0' },
  layers: [
    [
      { name: 'app/k8s/secret.yaml', data: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${pw('Layer')}\n` },
      { name: 'app/Dockerfile', data: 'FROM alpine\nCOPY .env /app/.env\n' },
      { name: 'usr/bin/tool', data: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]) },
    ],
    [
      { name: 'app/k8s/.wh.secret.yaml' },
      { name: 'app/values.yaml', data: `api:\n  apiKey: ${pw('Values')}\n` },
    ],
  ],
};

async function scan(archive: Buffer, name: string): Promise<{ findings: Finding[]; chunks: Chunk[]; source: ImageSource }> {
  const file = join(dir, name);
  writeFileSync(file, archive);
  const detector = await builtinDetector();
  const source = new ImageSource(file);
  const chunks: Chunk[] = [];
  for await (const item of source.items()) chunks.push(...('chunk' in item ? [item.chunk] : fileChunks(item.file).chunks));
  return { findings: chunks.flatMap((c) => detector.detect(c)), chunks, source };
}

const view = (f: Finding) => {
  const p = f.provenance.kind === 'image' ? f.provenance : undefined;
  return [f.location.path, f.location.startLine, f.ruleId, f.place, p?.layer, p?.deletedLater ?? false];
};

describe('ImageSource', () => {
  it('docker save: scans config Env, history and each layer, flags files deleted by a later layer', async () => {
    const { archive, layerDigests } = await dockerSave(SPEC);
    const { findings, chunks, source } = await scan(archive, 'app.tar');
    expect(source.notes).toEqual([]);
    expect(findings.map(view)).toEqual([
      ['config/Env', 2, 'dockerfile-env-secret', 'image.config.env', undefined, false],
      ['config/history', 2, 'dockerfile-env-secret', 'image.history', undefined, false],
      ['config/history', 3, 'dockerfile-run-basic-auth', 'image.history', undefined, false],
      ['app/k8s/secret.yaml', 6, 'k8s-secret-manifest-value', 'k8s.secret.stringData', layerDigests[0], true],
      ['app/Dockerfile', 2, 'dockerfile-copy-secret-file', 'dockerfile.copy', layerDigests[0], false],
      ['app/values.yaml', 2, 'helm-values-secret', 'helm.values', layerDigests[1], false],
    ]);
    expect(findings[0]!.provenance).toMatchObject({ kind: 'image', image: 'registry.internal/app:1.0' });
    expect(findings[1]!.secret.reveal()).toBe(pw('H1story'));
    expect(findings[3]!.message).toMatch(/^Deleted by a later layer, but still in the image\./);
    expect(chunks.find((c) => c.place === 'image.label')!.text).toBe('org.opencontainers.image.version=1.0');
    expect(chunks.some((c) => c.provenance.path === 'usr/bin/tool' && !c.pathOnly)).toBe(false);
  });

  it('docker save with gzip layers gives the same findings', async () => {
    const { archive } = await dockerSave({ ...SPEC, gzip: true });
    const { findings, source } = await scan(archive, 'app-gz.tar');
    expect(source.notes).toEqual([]);
    expect(findings.map((f) => f.ruleId)).toHaveLength(6);
  });

  it('OCI layout: blobs by digest, gzip layers, opaque directories', async () => {
    const spec: ImageSpec = {
      layers: [
        [{ name: 'etc/app/docker-compose.yml', data: `services:\n  api:\n    environment:\n      DB_PASSWORD: ${pw('Oci')}\n` }],
        [{ name: 'etc/app/.wh..wh..opq' }, { name: 'etc/app/readme.txt', data: 'hello' }],
      ],
    };
    const { archive, layerDigests } = await ociLayout(spec);
    const { findings, source } = await scan(archive, 'oci.tar');
    expect(source.notes).toEqual([]);
    expect(findings.map(view)).toEqual([['etc/app/docker-compose.yml', 4, 'compose-environment-secret', 'compose.environment', layerDigests[0], true]]);
    expect(findings[0]!.provenance).toMatchObject({ image: '1.0' });
  });

  it('reports a file that is not an image archive, naming it, without throwing', async () => {
    const { findings, source } = await scan(Buffer.from('just text, not a tar archive at all'.repeat(20)), 'notes.tar');
    expect(findings).toEqual([]);
    expect(source.notes).toHaveLength(1);
    expect(source.notes[0]).toMatchObject({ level: 'error', input: 'notes.tar' });
  });

  it('reports a layer listed in the manifest but missing from the archive', async () => {
    const { archive } = await dockerSave({ layers: [[{ name: 'a.txt', data: 'x' }]] });
    const { tarOf } = await import('./image-archives.js');
    const tar = (await import('tar-stream')).default;
    const entries: { name: string; data: Buffer }[] = [];
    const extract = tar.extract();
    extract.end(archive);
    for await (const entry of extract) {
      const parts: Buffer[] = [];
      for await (const p of entry) parts.push(p as Buffer);
      if (!entry.header.name.endsWith('layer.tar')) entries.push({ name: entry.header.name, data: Buffer.concat(parts) });
    }
    const { source } = await scan(await tarOf(entries), 'missing.tar');
    expect(source.notes.map((n) => n.message)).toEqual([expect.stringMatching(/^layer sha256:[0-9a-f]{64} \(.+\/layer\.tar\) is missing from the archive$/)]);
  });
});
