// A YAML stream of too many documents is not parsed (150,000 took a gigabyte): it is scanned as text, with a note.
import { describe, expect, it } from 'vitest';
import { chunksForFile } from '../../src/sources/file-chunks.js';
import { MAX_YAML_DOCUMENTS } from '../../src/sources/infra/yaml-doc.js';

const doc = (i: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  a: "1"\n`;

describe('YAML document limit', () => {
  it('scans a manifest over the limit as one plain chunk and says why', () => {
    const text = Array.from({ length: MAX_YAML_DOCUMENTS + 1 }, (_, i) => doc(i)).join('---\n');
    const { chunks, notes } = chunksForFile('deploy/all.yaml', text);
    expect(chunks.map((c) => [c.text.length, c.place])).toEqual([[text.length, undefined]]);
    expect(notes).toEqual([{ level: 'warning', input: 'deploy/all.yaml', message: `${MAX_YAML_DOCUMENTS + 1} YAML documents, over the ${MAX_YAML_DOCUMENTS} a file is parsed for: scanned as plain text` }]);
  });

  it('parses a manifest at the limit by resource', () => {
    const text = Array.from({ length: 3 }, (_, i) => doc(i)).join('---\n');
    expect(chunksForFile('deploy/all.yaml', text).chunks.every((c) => c.place !== undefined)).toBe(true);
  });
});
