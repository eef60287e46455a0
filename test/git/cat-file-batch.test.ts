import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BatchParser, catFileBatch } from '../../src/sources/git/cat-file-batch.js';
import { TestRepo } from './repo.js';

function frame(objects: { oid: string; content: Buffer }[]): Buffer {
  return Buffer.concat(objects.flatMap((o) => [Buffer.from(`${o.oid} blob ${o.content.length}\n`), o.content, Buffer.from('\n')]));
}

describe('BatchParser', () => {
  it('parses the same objects however the stream is cut', () => {
    const object = fc.record({ oid: fc.stringMatching(/^[0-9a-f]{40}$/), content: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) });
    fc.assert(
      fc.property(fc.array(object, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (objects, cuts) => {
        const bytes = frame(objects);
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const parser = new BatchParser(Number.POSITIVE_INFINITY);
        const out = [];
        let from = 0;
        for (const p of [...points, bytes.length]) {
          out.push(...parser.push(bytes.subarray(from, p)));
          from = p;
        }
        expect(parser.hasPartial()).toBe(false);
        expect(out.map((o) => [o.oid, o.content?.toString('hex')])).toEqual(objects.map((o) => [o.oid, o.content.toString('hex')]));
      }),
    );
  });

  it('reads past objects over the size limit without keeping them', () => {
    const big = Buffer.alloc(1000, 'a');
    const parser = new BatchParser(100);
    const out = parser.push(frame([{ oid: 'a'.repeat(40), content: big }, { oid: 'b'.repeat(40), content: Buffer.from('hi') }]));
    expect(out.map((o) => [o.oid, o.size, o.content?.toString()])).toEqual([
      ['a'.repeat(40), 1000, undefined],
      ['b'.repeat(40), 2, 'hi'],
    ]);
  });

  it('reports missing objects', () => {
    const out = new BatchParser(10).push(Buffer.from(`${'c'.repeat(40)} missing\n`));
    expect(out).toEqual([{ oid: 'c'.repeat(40), type: 'missing', size: 0, missing: true }]);
  });
});

describe('catFileBatch', () => {
  const repo = TestRepo.create();
  afterAll(() => repo.remove());

  it('streams blobs in request order from one git process, with labels', async () => {
    repo.commit('two files', { 'a.txt': 'alpha\n', 'dir/b.txt': 'beta\n' });
    const a = repo.blobOf('HEAD', 'a.txt');
    const b = repo.blobOf('HEAD', 'dir/b.txt');
    const absent = 'f'.repeat(40);
    const got = [];
    for await (const obj of catFileBatch(repo.dir, [{ oid: b, label: 'dir/b.txt' }, { oid: absent }, { oid: a, label: 'a.txt' }])) {
      got.push([obj.oid, obj.label, obj.missing ?? false, obj.content?.toString()]);
    }
    expect(got).toEqual([
      [b, 'dir/b.txt', false, 'beta\n'],
      [absent, undefined, true, undefined],
      [a, 'a.txt', false, 'alpha\n'],
    ]);
  });

  it('stops the git process when the reader stops early', async () => {
    const a = repo.blobOf('HEAD', 'a.txt');
    const many = Array.from({ length: 5000 }, () => ({ oid: a }));
    let n = 0;
    for await (const obj of catFileBatch(repo.dir, many)) {
      expect(obj.content?.toString()).toBe('alpha\n');
      if (++n === 3) break;
    }
    expect(n).toBe(3);
  });
});
