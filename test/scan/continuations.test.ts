// A secret split by a `\` line continuation (shell, makefiles, Dockerfiles) is found once, at its original lines.
import { describe, expect, test } from 'vitest';
import { createDetector } from '../../src/detect/detector.js';
import { fileChunks } from '../../src/scan/corridor.js';
import { continuationChunks } from '../../src/sources/continuations.js';
import type { RuleSpec } from '../../src/types.js';
import { seededRandom } from '../helpers/seeded-random.js';

const TOKEN = 'tok_' + 'q7Wm2Zr9Kx4Lp8Vn3Bc6';
const rule: RuleSpec = {
  id: 'tok', description: 'tok', regex: String.raw`\b(tok_[A-Za-z0-9]{20})\b`, keywords: ['tok_'],
  allowlists: [], tags: [], severity: 'high', confidence: 'medium', examples: [], counterexamples: [],
};
const { detector } = createDetector({ rules: [rule], allowlists: [] }, { fingerprintKey: Buffer.from('k') });

function scan(path: string, text: string) {
  const { chunks } = fileChunks({ path, provenance: { kind: 'file', path }, bytes: Buffer.from(text), size: text.length });
  return chunks.flatMap((c) => detector.detect(c)).map((f) => ({ secret: f.secret.reveal(), location: f.location, place: f.place }));
}

describe('line continuations', () => {
  test('joins a token split across a continuation in a shell script', () => {
    const found = scan('deploy.sh', `#!/bin/sh\ncurl -H "Authorization: ${TOKEN.slice(0, 10)}\\\n${TOKEN.slice(10)}" https://x\n`);
    expect(found).toEqual([{ secret: TOKEN, location: { path: 'deploy.sh', startLine: 2, startColumn: 25, endLine: 3, endColumn: 15 }, place: undefined }]);
  });

  test('joins one in a Dockerfile instruction, keeping its place', () => {
    const found = scan('Dockerfile', `FROM alpine\nENV A=1 \\\n    TOKEN=${TOKEN.slice(0, 7)}\\\n${TOKEN.slice(7)}\n`);
    expect(found.map((f) => [f.secret, f.location.startLine, f.location.endLine, f.place])).toEqual([[TOKEN, 3, 4, 'dockerfile.env']]);
  });

  test('only an odd run of backslashes at a line end continues it: an even run is escaped backslashes', () => {
    const joins = (ending: string) => continuationChunks({ text: `a${ending}\nb\n`, provenance: { kind: 'file', path: 'x.sh' } }).map((c) => c.text);
    expect(joins('\\')).toEqual(['ab']);
    expect(joins('\\\\')).toEqual([]);
    expect(joins('\\\\\\')).toEqual(['a\\\\b']);
    expect(joins('\\ ')).toEqual([]);
    expect(continuationChunks({ text: '\\\n\\\r\nc', provenance: { kind: 'file', path: 'x.sh' } }).map((c) => [c.text, c.startLine])).toEqual([
      ['\\', 1],
      ['c', 2],
    ]);
  });

  test('reports a whole token on a continued line once, and does not join in other files', () => {
    expect(scan('run.bash', `echo ${TOKEN} \\\n  done\n`).length).toBe(1);
    expect(scan('notes.txt', `${TOKEN.slice(0, 10)}\\\n${TOKEN.slice(10)}\n`)).toEqual([]);
  });

  test('texts with and without carriage returns give the same chunks at the same lines', () => {
    const rand = seededRandom(5);
    const pieces = ['a', 'tok', ' ', '\\', '\\\\', 'x=1', ''];
    for (let round = 0; round < 500; round++) {
      const lines = Array.from({ length: Math.floor(rand() * 12) }, () => Array.from({ length: Math.floor(rand() * 4) }, () => pieces[Math.floor(rand() * pieces.length)]).join(''));
      const text = lines.join('\n') + (rand() < 0.5 ? '\n' : '');
      const view = (c: { text: string; startLine?: number; joinedAt?: number }) => [c.text, c.startLine, c.joinedAt];
      const chunk = { text, provenance: { kind: 'file' as const, path: 'a.sh' }, startLine: 3 };
      // With a carriage return somewhere, the text is split on every kind of line break (as before).
      const crlf = { ...chunk, text: text.replaceAll('\n', '\r\n') };
      expect(continuationChunks(chunk).map(view), JSON.stringify(text)).toEqual(continuationChunks(crlf).map(view));
    }
  });
});
