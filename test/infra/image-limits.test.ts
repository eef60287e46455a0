// A small image archive whose manifest repeats images, layers and descriptors costs the work of its distinct content.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageSource } from '../../src/sources/image.js';
import { MAX_IMAGES } from '../../src/sources/infra/image-layout.js';
import { sha256, tarOf } from './image-archives.js';

const dir = mkdtempSync(join(tmpdir(), 'spillway-image-limits-'));

async function archive(name: string, manifest: unknown[], layers: Record<string, Buffer>, config: Buffer): Promise<string> {
  const entries = [...Object.entries(layers).map(([n, data]) => ({ name: n, data })), { name: 'c.json', data: config }, { name: 'manifest.json', data: JSON.stringify(manifest) }];
  const file = join(dir, name);
  writeFileSync(file, await tarOf(entries));
  return file;
}

async function read(file: string): Promise<{ source: ImageSource; files: number }> {
  const source = new ImageSource(file);
  let files = 0;
  for await (const item of source.items()) if ('file' in item) files++;
  return { source, files };
}

describe('image archives that repeat themselves', () => {
  it('reads a layer once however often the manifest lists it or the image', async () => {
    const layer = await tarOf([{ name: 'app/a.env', data: 'A=1\n' }, { name: 'app/b.env', data: 'B=2\n' }]);
    const config = Buffer.from(JSON.stringify({ config: { Env: [] }, rootfs: { diff_ids: [`sha256:${sha256(layer)}`] } }));
    const image = { Config: 'c.json', RepoTags: ['app:1'], Layers: Array(60).fill('l1/layer.tar') };
    const { source, files } = await read(await archive('repeat.tar', Array(60).fill(image), { 'l1/layer.tar': layer }, config));
    expect(files).toBe(2);
    expect(source.stats.layersRead).toBe(2);
    expect(source.notes).toEqual([]);
  });

  it('scans at most MAX_IMAGES distinct images, with a note', async () => {
    const layer = await tarOf([{ name: 'x.txt', data: 'x\n' }]);
    const config = Buffer.from(JSON.stringify({ config: { Env: [] } }));
    const manifest = Array.from({ length: MAX_IMAGES + 20 }, (_, i) => ({ Config: 'c.json', RepoTags: [`app:${i}`], Layers: ['l1/layer.tar'] }));
    const { source, files } = await read(await archive('many.tar', manifest, { 'l1/layer.tar': layer }, config));
    expect(files).toBe(1);
    expect(source.stats.layersRead).toBe(2);
    expect(source.notes).toEqual([{ level: 'warning', input: 'many.tar', message: `the archive holds ${MAX_IMAGES + 20} distinct images: only the first ${MAX_IMAGES} are scanned` }]);
  });
});
